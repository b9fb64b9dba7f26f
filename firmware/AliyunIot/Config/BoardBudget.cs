using System.Collections;
using AliyunIot.Json;

namespace AliyunIot.Config
{
    /// <summary>
    /// Applies a <see cref="BoardProfile"/> to a config being parsed: the profile's defaults for the fields
    /// device.json leaves out, then the check that what it asks for fits the board — the largest payload, the sum
    /// of the message buffers, and the TLS sessions an OTA download would hold at once. Every refusal names the
    /// field and the budget ("limits.maxPayloadBytes: is 65536 B; the esp32-wroom profile allows at most 8192 B").
    /// </summary>
    public static class BoardBudget
    {
        /// <summary>Approximate native heap one TLS session takes (mbedTLS buffers), for messages.</summary>
        public const int TlsSessionBytes = 33 * 1024;

        /// <summary>Sets the profile's defaults into <paramref name="limits"/> (before the <c>limits</c> section is read).</summary>
        public static void ApplyDefaults(BoardProfile profile, DeviceLimits limits)
        {
            limits.MaxPayloadBytes = profile.DefaultMaxPayloadBytes;
            limits.InboundQueueBytes = profile.DefaultQueueBytes;
            limits.OfflineQueueBytes = profile.DefaultQueueBytes;
        }

        /// <summary>
        /// The <c>ota</c> section with the profile's defaults for <c>chunkSize</c>, <c>closeMqttDuringDownload</c> and
        /// <c>boardProfile</c>
        /// filled in (a copy: the document itself, which may be written back, is not changed).
        /// </summary>
        public static Hashtable OtaWithDefaults(BoardProfile profile, Hashtable ota)
        {
            Hashtable copy = new Hashtable();
            if (ota != null)
            {
                foreach (object key in ota.Keys)
                {
                    copy[key] = ota[key];
                }
            }

            if (copy["chunkSize"] == null)
            {
                copy["chunkSize"] = profile.DefaultOtaChunkBytes;
            }

            if (copy["closeMqttDuringDownload"] == null)
            {
                copy["closeMqttDuringDownload"] = profile.ClosesMqttDuringDownload;
            }

            // The OTA agent checks images against the board it runs on (and refuses every code image where the
            // profile has no code OTA) without being told twice.
            if (copy["boardProfile"] == null)
            {
                copy["boardProfile"] = profile.Name;
            }

            return copy;
        }

        /// <summary>Refuses a config that cannot fit <paramref name="profile"/>.</summary>
        /// <param name="profile">The board class.</param>
        /// <param name="limits">The parsed <c>limits</c>.</param>
        /// <param name="ota">The <c>ota</c> section with defaults applied (<see cref="OtaWithDefaults"/>).</param>
        /// <exception cref="ConfigException">Names the field and the budget.</exception>
        public static void Check(BoardProfile profile, DeviceLimits limits, Hashtable ota)
        {
            string board = "the " + profile.Name + " profile";
            if (limits.MaxPayloadBytes > profile.MaxPayloadBytes)
            {
                throw new ConfigException("limits.maxPayloadBytes", "is " + limits.MaxPayloadBytes.ToString() + " B; " + board + " allows at most " + profile.MaxPayloadBytes.ToString() + " B");
            }

            long chunk;
            object rawChunk = ota == null ? null : ota["chunkSize"];
            if (rawChunk == null || !JsonValues.TryToLong(rawChunk, out chunk))
            {
                chunk = 0;
            }

            long total = (long)limits.InboundQueueBytes + limits.OfflineQueueBytes + limits.MaxPayloadBytes + chunk;
            if (total > profile.BufferBudgetBytes)
            {
                throw new ConfigException(
                    "limits",
                    "inboundQueueBytes " + limits.InboundQueueBytes.ToString() + " + offlineQueueBytes " + limits.OfflineQueueBytes.ToString()
                    + " + maxPayloadBytes " + limits.MaxPayloadBytes.ToString() + " + ota.chunkSize " + chunk.ToString() + " = " + total.ToString()
                    + " B exceeds " + board + "'s buffer budget of " + profile.BufferBudgetBytes.ToString() + " B");
            }

            object close = ota == null ? null : ota["closeMqttDuringDownload"];
            if (close != null && !(close is bool))
            {
                // Checked here, not only by the OTA component's settings: remote config and a build without that
                // component read the same field, and a value that is not a boolean must not quietly mean false.
                throw new ConfigException("ota.closeMqttDuringDownload", "must be true or false");
            }

            if (profile.TlsSessions < 2 && close is bool && !(bool)close)
            {
                throw new ConfigException(
                    "ota.closeMqttDuringDownload",
                    "false needs two TLS sessions at once (~" + (TlsSessionBytes / 1024).ToString() + " KB native heap each); " + board + " fits " + profile.TlsSessions.ToString());
            }
        }
    }
}
