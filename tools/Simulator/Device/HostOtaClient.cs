using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Ports;
using OtaPartition;

namespace AliyunIot.Simulator.Device
{
    /// <summary>
    /// STAND-IN for the core's OTA agent while it is not available: a host-side implementation of the platform's
    /// OTA flow (aliyun-protocol.md §4) over the REAL slot store — inform the running version after connecting
    /// (confirming a Testing image first), take the push on <c>/ota/device/upgrade</c>, refuse http:// and
    /// oversize images, stream the HTTPS download (only the configured CA trusted) chunk by chunk into the
    /// inactive slot while hashing, report progress about every 10 %, −2/−3/−4 on failure, activate the slot and
    /// ask for a reboot. It runs its download on its own thread, never on the session's worker.
    /// </summary>
    public sealed class HostOtaClient : IMessageHandler
    {
        private const int ConfirmWithinBoots = 3;
        private readonly DeviceTopics _topics;
        private readonly IPublisher _publisher;
        private readonly SlotStore _store;
        private readonly IRestart _restart;
        private readonly string _caPem;
        private readonly string _runningVersion;
        private readonly ILog _log;
        private readonly AlinkIds _ids = new AlinkIds();
        private int _busy;

        /// <summary>Creates the client for one boot.</summary>
        public HostOtaClient(DeviceTopics topics, IPublisher publisher, SlotStore store, IRestart restart, string caCertificatesPem, string runningVersion, ILog log)
        {
            _topics = topics;
            _publisher = publisher;
            _store = store;
            _restart = restart;
            _caPem = caCertificatesPem;
            _runningVersion = runningVersion;
            _log = log;
        }

        /// <summary>Outcome step of the last job (100, or −1..−4), 0 while none ended.</summary>
        public int LastOutcome { get; private set; }

        /// <inheritdoc />
        public void AddSubscriptions(System.Collections.ArrayList topics)
        {
            topics.Add(_topics.OtaUpgrade);
            topics.Add(_topics.OtaFirmwareGetReply);
        }

        /// <summary>The session connected: the running image has proven itself; confirm it and tell the platform its version.</summary>
        public void OnConnected()
        {
            SlotManifest manifest = _store.ReadManifest();
            if (manifest.State == SlotState.Testing && _store.Confirm())
            {
                _log.Write(LogLevel.Info, "ota", $"image {_runningVersion} confirmed after connecting");
            }
            else if (manifest.State == SlotState.RolledBack && _store.AcknowledgeRollback())
            {
                Progress(-1, "rolled back: " + manifest.RolledBackReason);
            }

            Publish(_topics.OtaInform, new JsonObject { ["version"] = _runningVersion });
        }

        /// <inheritdoc />
        public bool Handle(string topic, byte[] payload)
        {
            if (topic == _topics.OtaFirmwareGetReply)
            {
                return true;
            }

            if (topic != _topics.OtaUpgrade)
            {
                return false;
            }

            JsonNode data;
            try
            {
                data = JsonNode.Parse(payload)?["data"];
            }
            catch (System.Text.Json.JsonException)
            {
                _log.Write(LogLevel.Warning, "ota", "upgrade push is not JSON: refused");
                return true;
            }

            string version = (string)data?["version"];
            if (version == null)
            {
                return true;
            }

            if (version == _runningVersion)
            {
                Publish(_topics.OtaInform, new JsonObject { ["version"] = _runningVersion });
                return true;
            }

            if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            {
                _log.Write(LogLevel.Warning, "ota", "a job is already running: push ignored");
                return true;
            }

            var thread = new Thread(() => Run(data)) { IsBackground = true, Name = "ota-download" };
            thread.Start();
            return true;
        }

        private void Run(JsonNode data)
        {
            try
            {
                Execute(data);
            }
            catch (Exception e)
            {
                Fail(-1, "upgrade failed: " + e.GetType().Name);
            }
            finally
            {
                Interlocked.Exchange(ref _busy, 0);
            }
        }

        private void Execute(JsonNode data)
        {
            string version = (string)data["version"];
            string url = (string)data["url"];
            long size = (long?)data["size"] ?? -1;
            string method = ((string)data["signMethod"] ?? "MD5").ToUpperInvariant();
            string sign = ((string)data["sign"] ?? (string)data["md5"] ?? string.Empty).ToLowerInvariant();
            if (url == null || !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                Fail(-2, "download failed: only https:// URLs are accepted");
                return;
            }

            if (size <= 0 || size > _store.Storage.Capacity / 2)
            {
                Fail(-2, $"download failed: image of {size} bytes does not fit a slot");
                return;
            }

            if (method != "SHA256" && method != "MD5")
            {
                Fail(-3, "verify failed: unknown signMethod");
                return;
            }

            using IncrementalHash hash = IncrementalHash.CreateHash(method == "SHA256" ? HashAlgorithmName.SHA256 : HashAlgorithmName.MD5);
            _store.DiscardDownload();
            using (SlotWriter writer = _store.OpenWriter(version + ":" + sign, size))
            {
                Progress(0, "downloading");
                if (!Download(url, size, writer, hash))
                {
                    return;
                }

                writer.Flush();
            }

            string digest = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
            if (digest != sign)
            {
                _store.DiscardDownload();
                Fail(-3, $"verify failed: {method} digest does not match");
                return;
            }

            try
            {
                _store.ActivateInactive(version, ConfirmWithinBoots, new byte[4096]);
            }
            catch (OtaImageException e)
            {
                _store.DiscardDownload();
                Fail(-4, "write failed: " + e.Message);
                return;
            }

            LastOutcome = 100;
            Progress(100, "verified and activated; rebooting");
            Thread.Sleep(300); // let the progress report leave before the session stops
            _restart.Restart("OTA to " + version);
        }

        private bool Download(string url, long size, SlotWriter writer, IncrementalHash hash)
        {
            using var handler = new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Trusted } };
            using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
            using HttpResponseMessage response = http.Send(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                Fail(-2, $"download failed: HTTP {(int)response.StatusCode}");
                return false;
            }

            using Stream body = response.Content.ReadAsStream();
            byte[] buffer = new byte[4096];
            long received = 0;
            int reported = 0;
            int read;
            while ((read = body.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (received + read > size)
                {
                    Fail(-2, "download failed: more bytes than announced");
                    return false;
                }

                writer.Write(buffer, 0, read);
                hash.AppendData(buffer, 0, read);
                received += read;
                int percent = (int)(received * 100 / size);
                if (percent >= reported + 10 && percent < 100)
                {
                    reported = percent / 10 * 10;
                    Progress(reported, "downloading");
                }
            }

            if (received != size)
            {
                Fail(-2, $"download failed: {received} of {size} bytes");
                return false;
            }

            return true;
        }

        private bool Trusted(object sender, X509Certificate certificate, X509Chain chain, SslPolicyErrors errors)
        {
            if (certificate == null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return false;
            }

            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(_caPem);
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            custom.ChainPolicy.CustomTrustStore.AddRange(roots);
            return custom.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        }

        private void Fail(int step, string desc)
        {
            LastOutcome = step;
            _log.Write(LogLevel.Warning, "ota", desc);
            Progress(step, desc);
        }

        private void Progress(int step, string desc) =>
            Publish(_topics.OtaProgress, new JsonObject { ["step"] = step.ToString(CultureInfo.InvariantCulture), ["desc"] = desc });

        private void Publish(string topic, JsonObject parameters)
        {
            var message = new JsonObject { ["id"] = _ids.Next(), ["params"] = parameters };
            _publisher.Publish(topic, Encoding.UTF8.GetBytes(message.ToJsonString()), 1);
        }
    }
}
