using System.Collections;

namespace AliyunIot.Config
{
    /// <summary>
    /// The board's budget fields of device.json: the profile and the limits that must fit it.
    /// </summary>
    internal static class BoardSection
    {
        /// <summary>profile: the board class the config was provisioned for, or null (a hand-written device.json).</summary>
        internal static BoardProfile ReadProfile(Hashtable root)
        {
            object value = root["profile"];
            if (value == null)
            {
                return null;
            }

            BoardProfile profile = BoardProfile.Find(value as string);
            if (profile == null)
            {
                throw new ConfigException("profile", "must be one of " + BoardProfile.Names);
            }

            return profile;
        }

        /// <summary>limits: queues, buffers, rates and timings, over the profile's defaults already in <paramref name="limits"/>.</summary>
        internal static void ReadLimits(Hashtable root, DeviceLimits limits)
        {
            object value = root["limits"];
            if (value == null)
            {
                return;
            }

            Hashtable table = value as Hashtable;
            if (table == null)
            {
                throw new ConfigException("limits", "must be an object");
            }

            limits.MaxPayloadBytes = ConfigFields.OptionalInt(table, "maxPayloadBytes", "limits.maxPayloadBytes", 256, DeviceLimits.PlatformMaxPayloadBytes, limits.MaxPayloadBytes, "must be an integer 256..262144 (the platform's limit is 256 KB)");
            limits.InFlightWindow = ConfigFields.OptionalInt(table, "inFlightWindow", "limits.inFlightWindow", 1, 100, limits.InFlightWindow, "must be an integer 1..100");
            limits.OfflineQueueLength = ConfigFields.OptionalInt(table, "offlineQueueLength", "limits.offlineQueueLength", 0, 10000, limits.OfflineQueueLength, "must be an integer 0..10000");
            limits.OfflineQueueBytes = ConfigFields.OptionalInt(table, "offlineQueueBytes", "limits.offlineQueueBytes", 0, 16777216, limits.OfflineQueueBytes, "must be an integer 0..16777216");
            if (table["inboundQueueBytes"] == null)
            {
                // Room for at least one message of the largest accepted size.
                if (limits.InboundQueueBytes < limits.MaxPayloadBytes)
                {
                    limits.InboundQueueBytes = limits.MaxPayloadBytes;
                }
            }
            else
            {
                limits.InboundQueueBytes = ConfigFields.OptionalInt(table, "inboundQueueBytes", "limits.inboundQueueBytes", 1024, 16777216, limits.InboundQueueBytes, "must be an integer 1024..16777216");
                if (limits.InboundQueueBytes < limits.MaxPayloadBytes)
                {
                    throw new ConfigException("limits.inboundQueueBytes", "is " + limits.InboundQueueBytes.ToString() + " B, less than one message of limits.maxPayloadBytes (" + limits.MaxPayloadBytes.ToString() + " B)");
                }
            }

            string policy = ConfigFields.OptionalString(table, "offlineDropPolicy", "limits.offlineDropPolicy", "must be \"dropOldest\" or \"rejectNew\"");
            if (policy == "rejectNew")
            {
                limits.OfflineDropPolicy = OfflineDropPolicy.RejectNew;
            }
            else if (policy != null && policy != "dropOldest")
            {
                throw new ConfigException("limits.offlineDropPolicy", "must be \"dropOldest\" or \"rejectNew\"");
            }

            limits.MessagesPerSecond = ConfigFields.OptionalInt(table, "messagesPerSecond", "limits.messagesPerSecond", 1, DeviceLimits.PlatformMaxMessagesPerSecond, limits.MessagesPerSecond, "must be an integer 1..30 (the platform drops more than 30 per second)");
            limits.RequestTimeoutMs = ConfigFields.OptionalInt(table, "requestTimeoutMs", "limits.requestTimeoutMs", 1000, 120000, limits.RequestTimeoutMs, "must be an integer 1000..120000");
            limits.BackoffBaseMs = ConfigFields.OptionalInt(table, "backoffBaseMs", "limits.backoffBaseMs", 100, 60000, limits.BackoffBaseMs, "must be an integer 100..60000");
            limits.BackoffCapMs = ConfigFields.OptionalInt(table, "backoffCapMs", "limits.backoffCapMs", 100, 3600000, limits.BackoffCapMs, "must be an integer 100..3600000, at least limits.backoffBaseMs");
            if (limits.BackoffCapMs < limits.BackoffBaseMs)
            {
                throw new ConfigException("limits.backoffCapMs", "must be an integer 100..3600000, at least limits.backoffBaseMs");
            }

            limits.StableAfterMs = ConfigFields.OptionalInt(table, "stableAfterMs", "limits.stableAfterMs", 1000, 3600000, limits.StableAfterMs, "must be an integer 1000..3600000");
        }
    }
}
