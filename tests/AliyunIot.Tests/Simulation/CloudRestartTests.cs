using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Cloud.Traffic;
using AliyunIot.Connection;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.Ports;
using AliyunIot.Simulator.Device;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>
    /// Operations on the local cloud's folder (issue 15, deliverable 6): ports and CA kept per folder so configured
    /// devices survive a stop and a serve, one cloud per folder, and a killed cloud's leftovers removed at the next start.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public sealed class CloudRestartTests : IDisposable
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
        private readonly TempFolder _temp = new TempFolder("cloud-restart");
        private readonly CapturingLog _log = new CapturingLog();
        private readonly string _dir;

        public CloudRestartTests()
        {
            _dir = Path.Combine(_temp.Path, "cloud");
        }

        public void Dispose()
        {
            _log.Dispose();
            _temp.Dispose();
        }

        [Fact]
        public void A_configured_simulated_device_reconnects_after_stop_and_serve_without_being_touched()
        {
            RegisteredDevice device;
            int tlsPort;
            var output = new StringWriter();
            SimulatedDevice simulated = null;
            try
            {
                using (LocalCloud first = CloudHosting.Start(_dir, _log))
                {
                    device = first.Register(null, "restart-01");
                    _log.Secret(device.DeviceSecret);
                    tlsPort = first.Broker.TlsPort;
                    simulated = new SimulatedDevice(
                        new SimulatorOptions { FlashDirectory = Path.Combine(_temp.Path, "flash"), ConfigFile = device.ConfigPath, SamplePeriodMs = 0, LogWriter = output },
                        first.Registry.ModelOf(device.ProductKey));
                    simulated.PowerOn();
                    Assert.True(first.WaitUntil(() => first.State(device.ProductKey, device.DeviceName).Online, Wait), output.ToString());
                }

                Assert.True(SimulatedDevice.WaitUntil(() => simulated.Status != ConnectionStatus.Connected, Wait), "the device never noticed the stop");

                using LocalCloud second = CloudHosting.Start(_dir, _log);
                Assert.Equal(tlsPort, second.Broker.TlsPort);
                Assert.True(second.WaitUntil(() => second.State(device.ProductKey, device.DeviceName).Online, TimeSpan.FromSeconds(90)), output.ToString());

                // Online is known at authentication; the version inform comes once the session has subscribed. What the
                // device sent while the first cloud was stopping was queued for the cloud's session and arrives first:
                // only an inform after this connection's presence says the device is ready for a set.
                Assert.True(second.WaitUntil(() => InformedSinceConnecting(second, device.DeviceName), Wait), output.ToString());
                Assert.Equal("1.0.0", second.State(device.ProductKey, device.DeviceName).FirmwareVersion);
                CommandResult set = second.SetProperties(device.ProductKey, device.DeviceName, new JsonObject { ["LightSwitch"] = 1 });
                Assert.True(set.Code == 200, set.Code + " " + set.Message + "\n" + output);
                SecretAssert.NotIn(device.DeviceSecret, output.ToString(), "the simulator output");
            }
            finally
            {
                simulated?.Dispose();
            }
        }

        [Fact]
        public void A_version_inform_sent_before_the_cloud_is_back_is_recorded()
        {
            RegisteredDevice device;
            using (LocalCloud first = CloudHosting.Start(_dir, _log))
            {
                device = first.Register(null, "inform-0001");
                _log.Secret(device.DeviceSecret);
            }

            // The broker is up again and the cloud's client not yet: a device reconnects and informs its version at
            // once (the broker acknowledges it before the cloud has even connected).
            using LocalCloud second = CloudHosting.Start(_dir, _log, busFactory: broker =>
            {
                var listener = new Broker.RecordingListener();
                using var transport = new MosquittoTransport();
                MqttConnectRequest request = ((TestBrokerHost)broker).Broker.CreateDeviceConnectRequest(device.ProductKey, device.DeviceName, device.DeviceSecret);
                Assert.Equal(MqttConnectOutcome.Accepted, transport.Connect(request, listener).Outcome);
                byte[] inform = Encoding.UTF8.GetBytes("{\"id\":\"1\",\"params\":{\"version\":\"2.7.1\"}}");
                int packetId = transport.Publish("/ota/device/inform/" + device.ProductKey + "/" + device.DeviceName, inform, 1, false, null);
                Assert.Equal(0, listener.WaitForPuback(packetId));
                return CloudHosting.ConnectBus(broker, _log);
            });

            Assert.True(second.WaitUntil(() => second.State(device.ProductKey, device.DeviceName).FirmwareVersion == "2.7.1", Wait), "the inform queued for the cloud's session was not recorded");
        }

        [Fact]
        public void A_device_online_when_the_cloud_stopped_is_offline_after_the_next_start_until_it_reconnects()
        {
            RegisteredDevice gone;
            RegisteredDevice back;
            using (LocalCloud first = CloudHosting.Start(_dir, _log))
            {
                gone = first.Register(null, "gone-0001");
                back = first.Register(null, "back-0001");
                _log.Secret(gone.DeviceSecret);
                _log.Secret(back.DeviceSecret);
                using var online = new RawDevice(first, gone);
                Assert.True(first.State(gone.ProductKey, gone.DeviceName).Online);
            }

            using LocalCloud second = CloudHosting.Start(_dir, _log);

            // The returning device's presence comes after whatever the broker kept from the last run.
            using var returning = new RawDevice(second, back);
            Assert.False(second.State(gone.ProductKey, gone.DeviceName).Online, "the last run's presence came back");
        }

        [Fact]
        public void Run_as_root_the_clouds_broker_is_unprivileged_its_secrets_private_and_gone_after_stop()
        {
            if (AliyunIot.TestBroker.PrivateFiles.EffectiveUserId() != 0 || AliyunIot.TestBroker.PrivateFiles.BrokerAccount() is not { } account)
            {
                return; // Not root (CI is), or no "mosquitto" account: mosquitto runs as the invoking user anyway.
            }

            const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            const UnixFileMode PrivateFolder = Private | UnixFileMode.UserExecute;
            string work;
            using (LocalCloud cloud = CloudHosting.Start(_dir, _log))
            {
                RegisteredDevice device = cloud.Register(null, "root-0001");
                _log.Secret(device.DeviceSecret);
                using (new RawDevice(cloud, device))
                {
                }

                AliyunIot.TestBroker.TestBroker broker = ((TestBrokerHost)cloud.Broker).Broker;
                string uid = File.ReadLines("/proc/" + broker.ProcessId + "/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal));
                Assert.Equal(account.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), uid.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);

                // The unprivileged broker cannot reach the root-owned 0700 --dir: its own private folder, its secrets 0600.
                work = broker.WorkDirectory;
                Assert.False(work.StartsWith(Path.GetFullPath(_dir), StringComparison.Ordinal), work);
                Assert.Equal(PrivateFolder, File.GetUnixFileMode(work));
                foreach (string name in new[] { "credentials.txt", "server.key", "mosquitto.conf" })
                {
                    Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(work, name)));
                }

                Assert.Contains(device.DeviceSecret, File.ReadAllText(Path.Combine(work, "credentials.txt")));
            }

            Assert.False(Directory.Exists(work), "the broker's folder (credentials, TLS key) is removed on stop");
            Assert.Equal(PrivateFolder, File.GetUnixFileMode(_dir));
            foreach (string kept in new[] { "registry.json", CloudFolder.CaKeyFile, CloudFolder.BrokerStateFile, "devices/a1SimLamp01/root-0001/device.json" })
            {
                Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(_dir, kept)));
            }
        }

        [Fact]
        public void A_second_cloud_on_a_busy_folder_is_refused_and_leaves_the_first_untouched()
        {
            using LocalCloud first = CloudHosting.Start(_dir, _log);
            _log.Secret(first.Register(null, "busy-0001").DeviceSecret);
            string[] files = { "registry.json", "ca.pem", "ca.key", CloudFolder.SettingsFile, "devices/a1SimLamp01/busy-0001/device.json" };
            var before = files.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(_dir, f)));

            var refused = Assert.Throws<InvalidOperationException>(() => CloudHosting.Start(_dir, _log));

            Assert.Contains("another cloud is serving " + Path.GetFullPath(_dir), refused.Message);
            foreach (string file in files)
            {
                Assert.Equal(before[file], File.ReadAllBytes(Path.Combine(_dir, file)));
            }

            Assert.True(first.Bus.IsConnected);
        }

        [Fact]
        public void What_a_killed_cloud_left_behind_is_removed_at_the_next_start()
        {
            Directory.CreateDirectory(Path.Combine(_dir, CloudFolder.BrokerFolder));
            string staleKey = Path.Combine(_dir, CloudFolder.BrokerFolder, "server.key.from-a-killed-run");
            File.WriteAllText(staleKey, "stale");
            string staleWrite = Path.Combine(_dir, "registry.json.0badc0de.new");
            File.WriteAllText(staleWrite, "half written");
            string staleToken = Path.Combine(_dir, AliyunIot.Cloud.Control.ControlServer.TokenFile);
            File.WriteAllText(staleToken, "old token");

            using LocalCloud cloud = CloudHosting.Start(_dir, _log);

            Assert.False(File.Exists(staleKey));
            Assert.False(File.Exists(staleWrite));
            Assert.False(File.Exists(staleToken));
        }

        [Fact]
        public void Ports_asked_for_are_used_and_kept_and_the_ca_key_is_private()
        {
            (int tls, int plain) = TwoFreePorts();
            string caPem;
            using (LocalCloud cloud = CloudHosting.Start(_dir, _log, tls, plain))
            {
                Assert.Equal(tls, cloud.Broker.TlsPort);
                Assert.Equal(plain, cloud.Broker.PlainPort);
                caPem = File.ReadAllText(cloud.CaCertificatePath);
            }

            Assert.False(Directory.Exists(Path.Combine(_dir, CloudFolder.BrokerFolder)));
            using (LocalCloud again = CloudHosting.Start(_dir, _log))
            {
                Assert.Equal(tls, again.Broker.TlsPort);
                Assert.Equal(plain, again.Broker.PlainPort);
                Assert.Equal(caPem, File.ReadAllText(again.CaCertificatePath));
            }

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, CloudFolder.CaKeyFile)));
        }

        [Fact]
        public void A_port_in_use_is_named_and_the_folder_stays_usable()
        {
            using var squatter = new TcpListener(IPAddress.Loopback, 0);
            squatter.Start();
            int taken = ((IPEndPoint)squatter.LocalEndpoint).Port;

            var refused = Assert.Throws<InvalidOperationException>(() => CloudHosting.Start(_dir, _log, taken));

            Assert.Contains(taken + " (TLS)", refused.Message);
            Assert.Contains("already in use", refused.Message);
            using LocalCloud cloud = CloudHosting.Start(_dir, _log);
            Assert.NotEqual(taken, cloud.Broker.TlsPort);
        }

        private static bool InformedSinceConnecting(LocalCloud cloud, string deviceName)
        {
            List<TrafficEntry> entries = cloud.Traffic.Since(0, deviceName).ToList();
            int connected = entries.FindLastIndex(e => e.Kind == TrafficEntry.Connect);
            return connected >= 0 && entries.Skip(connected + 1).Any(e => e.Kind == TrafficEntry.Up && e.Topic.StartsWith("/ota/device/inform/", StringComparison.Ordinal));
        }

        private static (int, int) TwoFreePorts()
        {
            // Both held at once, so they differ.
            using var first = new TcpListener(IPAddress.Loopback, 0);
            using var second = new TcpListener(IPAddress.Loopback, 0);
            first.Start();
            second.Start();
            return (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
        }
    }
}
