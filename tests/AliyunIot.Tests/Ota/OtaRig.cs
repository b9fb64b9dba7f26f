using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using AliyunIot.Alink;
using AliyunIot.Config;
using AliyunIot.Connection;
using AliyunIot.HostPorts.Http;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.HostPorts.Platform;
using AliyunIot.HostPorts.Storage;
using AliyunIot.Ota;
using AliyunIot.Ports;
using AliyunIot.TestBroker;
using AliyunIot.TestBroker.Https;
using AliyunIot.Tests.Support;
using OtaPartition;
using Xunit;

namespace AliyunIot.Tests.Ota
{
    /// <summary>
    /// One simulated device for the OTA acceptance tests: a real TestBroker (platform-style auth), the cloud side
    /// as a CloudClient, the real HTTPS test server with the test CA, and real files in a temp folder as I:\.
    /// <see cref="Boot"/> does what the loader does (BootGuard + image check), then starts the session
    /// (AliyunDevice) with the OtaAgent; a restart requested by the agent is recorded and <see cref="Reboot"/>
    /// "power-cycles" the device: everything is built again over the same folder.
    /// </summary>
    internal sealed class OtaRig : IDisposable
    {
        public const string ProductKey = "a1OtaProd01";
        public const string DeviceName = "ota-dev-1";
        private const string DeviceSecret = "otaSecretValue0123456789abcdef01";

        private readonly ConcurrentQueue<string> _firmwareGets = new();
        private AliyunDevice _device;

        public OtaRig(Action<OtaSettings> configure = null)
        {
            Broker = AliyunIot.TestBroker.TestBroker.Start();
            Broker.AddDevice(ProductKey, DeviceName, DeviceSecret);
            Server = HttpsTestServer.Start(OtaTestCa.Shared.ServerCertificate);
            Flash = new TempFolder();
            Log = new CapturingLog();
            Log.Secret(DeviceSecret);
            Settings = new OtaSettings { RetryBaseMs = 20, RetryCapMs = 100, FirmwareGetTimeoutMs = 10000 };
            configure?.Invoke(Settings);
            Topics = new DeviceTopics(ProductKey, DeviceName);
            Cloud = new CloudClient(Broker);
            Cloud.Connect();
            Cloud.Subscribe("/ota/device/+/" + ProductKey + "/" + DeviceName, Topics.OtaFirmwareGet);
            Cloud.MessageReceived += OnCloudMessage;
        }

        public AliyunIot.TestBroker.TestBroker Broker { get; }

        public HttpsTestServer Server { get; }

        public CloudClient Cloud { get; }

        public TempFolder Flash { get; }

        public CapturingLog Log { get; }

        public OtaSettings Settings { get; }

        public DeviceTopics Topics { get; }

        public OtaAgent Agent { get; private set; }

        /// <summary>The running "firmware"'s device (null while shut down).</summary>
        public AliyunDevice Device => _device;

        public BootDecision Decision { get; private set; }

        public RecordingRestart Restart { get; private set; }

        /// <summary>What the cloud answers to thing.ota.firmware.get: the data object, or null for "no job".</summary>
        public Func<JsonObject> FirmwareGetAnswer { get; set; } = () => null;

        public int FirmwareGetCount => _firmwareGets.Count;

        public FileFlashStorage Storage => new(Flash.Path);

        /// <summary>Puts <paramref name="image"/> into slot A as nanoff's file deployment would (factory state).</summary>
        public void Provision(byte[] image)
        {
            File.WriteAllBytes(Path.Combine(Flash.Path, "slotA.img"), image);
            OtaTestKey.Deploy(Flash.Path);
        }

        /// <summary>The loader's part (boot guard, image check), then the application with the agent, connected.</summary>
        public void Boot(bool connect = true)
        {
            var storage = Storage;
            var store = new SlotStore(storage);
            Decision = new BootGuard(store).Boot();
            OtaImageReader.ReadAssemblies(storage, Decision.FileName, out var header);
            new BootGuard(store).CheckVerified(Decision, header);
            Assert.Equal(Decision.Version, header.Version);
            if (!connect)
            {
                return;
            }

            string config = new JsonObject
            {
                ["productKey"] = ProductKey,
                ["deviceName"] = DeviceName,
                ["deviceSecret"] = DeviceSecret,
                ["endpoint"] = new JsonObject { ["host"] = Broker.Host, ["port"] = Broker.TlsPort },
            }.ToJsonString();
            var parsed = new DeviceConfigParser(Log).Parse(config);
            _device = new AliyunDevice(parsed, Broker.CaCertificatePem, new MosquittoTransportFactory(), new SystemClock(), new SystemRandom(), Log, null);
            Restart = new RecordingRestart();
            Agent = new OtaAgent(Topics, _device.Publisher, new HttpDownloader(10000), store, Restart,
                new SystemClock(), Log, Settings, OtaTestCa.Shared.CertificatePem, Decision.Version);
            if (Settings.CloseMqttDuringDownload)
            {
                // What the ESP32 shell's SessionConnectionControl does: the session only, not AliyunDevice.Stop.
                Agent.ConnectionControl = new SessionSuspend(_device);
            }

            _device.AddHandler(Agent);
            var agent = Agent;
            _device.StatusChanged += (status, reason) =>
            {
                if (status == ConnectionStatus.Connected)
                {
                    agent.OnConnected();
                }
            };
            _device.Start();
        }

        /// <summary>Power cycle: stop everything of the running "firmware" and boot again from flash.</summary>
        public void Reboot(bool connect = true)
        {
            Shutdown();
            Boot(connect);
        }

        public void Shutdown()
        {
            Agent?.Stop();
            _device?.Stop();
            Agent = null;
            _device = null;
        }

        /// <summary>Pushes a job on /ota/device/upgrade as the platform does.</summary>
        public void Push(JsonObject data)
        {
            var message = new JsonObject { ["code"] = "1000", ["id"] = 1626969597470, ["message"] = "success", ["data"] = data };
            Cloud.Publish(Topics.OtaUpgrade, message.ToJsonString());
        }

        public static JsonObject Job(string version, string url, byte[] image, string signMethod = "SHA256")
        {
            bool md5 = signMethod.Equals("md5", StringComparison.OrdinalIgnoreCase);
            string digest = Convert.ToHexStringLower(md5 ? System.Security.Cryptography.MD5.HashData(image) : System.Security.Cryptography.SHA256.HashData(image));
            return new JsonObject
            {
                ["size"] = image.Length,
                ["version"] = version,
                ["url"] = url,
                ["md5"] = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(image)),
                ["sign"] = digest,
                ["signMethod"] = signMethod,
                ["extData"] = new JsonObject { ["key1"] = "value1" },
            };
        }

        /// <summary>Next progress report: (step, desc).</summary>
        public (string Step, string Desc) NextProgress(int timeoutMs = 30000)
        {
            var message = Cloud.WaitForMessage(Topics.OtaProgress, TimeSpan.FromMilliseconds(timeoutMs));
            var json = JsonNode.Parse(message.PayloadText)!;
            return ((string)json["params"]!["step"], (string)json["params"]!["desc"]);
        }

        /// <summary>Progress reports until a final one (100 or negative).</summary>
        public List<(string Step, string Desc)> ProgressUntilFinal(int timeoutMs = 60000)
        {
            var steps = new List<(string, string)>();
            while (true)
            {
                var p = NextProgress(timeoutMs);
                steps.Add(p);
                if (p.Step == "100" || p.Step.StartsWith('-'))
                {
                    return steps;
                }
            }
        }

        /// <summary>Next inform: the reported version.</summary>
        public string NextInform(int timeoutMs = 30000)
        {
            var message = Cloud.WaitForMessage(Topics.OtaInform, TimeSpan.FromMilliseconds(timeoutMs));
            return (string)JsonNode.Parse(message.PayloadText)!["params"]!["version"];
        }

        public byte[] SlotBytes(int slot) => File.ReadAllBytes(Path.Combine(Flash.Path, SlotStore.SlotFileName(slot)));

        public SlotManifest Manifest => new SlotStore(Storage).ReadManifest();

        private void OnCloudMessage(MqttReceivedMessage message)
        {
            if (message.Topic != Topics.OtaFirmwareGet)
            {
                return;
            }

            _firmwareGets.Enqueue(message.PayloadText);
            string id = (string)JsonNode.Parse(message.PayloadText)!["id"];
            JsonObject data = FirmwareGetAnswer() ?? new JsonObject();
            var reply = new JsonObject { ["code"] = 200, ["data"] = data, ["id"] = id, ["message"] = "success" };

            // Never publish-and-wait on the network thread: hand it over.
            ThreadPool.QueueUserWorkItem(_ =>
            {
                try
                {
                    Cloud.Publish(Topics.OtaFirmwareGetReply, reply.ToJsonString());
                }
                catch (Exception ex) when (ex is InvalidOperationException || ex is TimeoutException || ex is ObjectDisposedException)
                {
                    // The test already ended and closed the cloud client or the broker.
                }
            });
        }

        public void Dispose()
        {
            try
            {
                Shutdown();
            }
            finally
            {
                Cloud.Dispose();
                Server.Dispose();
                Broker.Dispose();
                Flash.Dispose();
                Log.Dispose();
            }
        }
    }

    /// <summary>Closes MQTT for the download and reopens it, as firmware/Esp32App/SessionConnectionControl does.</summary>
    internal sealed class SessionSuspend : IDownloadConnectionControl
    {
        private readonly AliyunDevice _device;

        public SessionSuspend(AliyunDevice device) => _device = device;

        public int Suspends;

        public void Suspend()
        {
            Interlocked.Increment(ref Suspends);
            _device.Session.Stop();
        }

        public void Resume() => _device.Session.Start();
    }

    /// <summary>IRestart for the simulator/tests: records the request (the test then "reboots" the rig).</summary>
    internal sealed class RecordingRestart : IRestart
    {
        private readonly ManualResetEventSlim _requested = new(false);

        public string Reason { get; private set; }

        public void Restart(string reason)
        {
            Reason = reason;
            _requested.Set();
        }

        public bool Wait(int timeoutMs) => _requested.Wait(timeoutMs);
    }
}
