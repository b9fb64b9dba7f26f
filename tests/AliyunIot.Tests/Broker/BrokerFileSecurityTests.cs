using System.Diagnostics;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Broker
{
    using AliyunIot.TestBroker;

    /// <summary>
    /// The test broker cannot be turned against the person running it: its compiled plugin is never taken from a
    /// place another user could write, every file with a secret is 0600 in a 0700 folder with an unpredictable name,
    /// gone after Dispose and after a crashed run's next start, and mosquitto does not keep root when an
    /// unprivileged account exists.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public sealed class BrokerFileSecurityTests
    {
        private const UnixFileMode OpenToOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

        [Fact]
        public void Every_file_with_a_secret_is_private_and_gone_after_dispose()
        {
            string dir;
            string[] files;
            using (TestBroker broker = TestBroker.Start())
            {
                broker.AddDevice("pkF", "dev", "file-secret-value");
                dir = broker.WorkDirectory;
                Assert.StartsWith(TestBroker.WorkDirectoryPrefix, Path.GetFileName(dir), StringComparison.Ordinal);
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
                files = Directory.GetFiles(dir);
                foreach (string name in new[] { "credentials.txt", "server.key", "mosquitto.conf" })
                {
                    string path = Path.Combine(dir, name);
                    Assert.True(File.Exists(path), name);
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
                }

                Assert.Contains("file-secret-value", File.ReadAllText(Path.Combine(dir, "credentials.txt")));
                Assert.All(files.Where(f => !f.EndsWith(".so", StringComparison.Ordinal) && !f.EndsWith("mosquitto.log", StringComparison.Ordinal)),
                    f => Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(f) & OpenToOthers));
            }

            Assert.False(Directory.Exists(dir), "the folder with the credentials and the TLS key is removed");
            Assert.NotEmpty(files);
        }

        [Fact]
        public void Mosquitto_started_as_root_runs_as_the_unprivileged_account()
        {
            if (AliyunIot.TestBroker.PrivateFiles.EffectiveUserId() != 0 || PrivateFiles.BrokerAccount() is not { } account)
            {
                return; // Not root, or no "mosquitto" account: mosquitto runs as the invoking user anyway.
            }

            using TestBroker broker = TestBroker.Start();
            string status = File.ReadAllText("/proc/" + broker.ProcessId + "/status");
            string uidLine = status.Split('\n').First(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            Assert.Equal(account.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), uidLine.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
            broker.AddDevice("pkU", "dev", "secret");
            using var transport = new AliyunIot.HostPorts.Mqtt.MosquittoTransport();
            Assert.Equal(AliyunIot.Ports.MqttConnectOutcome.Accepted, transport.Connect(broker.CreateDeviceConnectRequest("pkU", "dev", "secret"), new RecordingListener()).Outcome);
        }

        [Fact]
        public void A_killed_runs_broker_folder_is_removed_by_its_watchdog()
        {
            // A real process running the tour (cloud + broker in it) is SIGKILLed: no exit hook runs, the watchdog
            // must kill mosquitto and delete the folder with the credentials and the TLS key.
            string simulator = Path.Combine(AliyunIot.Tests.Guard.GuardHarness.RepositoryRoot, "tools", "Simulator", "bin", "Release", "net10.0", "AliyunIot.Simulator.dll");
            Assert.True(File.Exists(simulator), "build tools/Simulator (host.slnf) first: " + simulator);
            using var work = new TempFolder("aliyuniot-killed-run");
            var before = new HashSet<string>(Directory.GetDirectories(Path.GetTempPath(), TestBroker.WorkDirectoryPrefix + "*"));
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(simulator);
            start.ArgumentList.Add("tour");
            start.ArgumentList.Add("--work");
            start.ArgumentList.Add(work.Path);
            using Process tour = Process.Start(start)!;
            tour.OutputDataReceived += (_, _) => { };
            tour.ErrorDataReceived += (_, _) => { };
            tour.BeginOutputReadLine();
            tour.BeginErrorReadLine();

            string brokerFolder = null;
            var watch = Stopwatch.StartNew();
            while (brokerFolder == null && watch.Elapsed < TimeSpan.FromSeconds(60) && !tour.HasExited)
            {
                // The tour's local cloud names its broker folder inside its own --dir (under the work folder); a
                // broker started without one makes a fresh folder in the temp directory, marked with its owner.
                brokerFolder = BrokerFolderUnder(work.Path)
                    ?? Directory.GetDirectories(Path.GetTempPath(), TestBroker.WorkDirectoryPrefix + "*")
                    .FirstOrDefault(d => !before.Contains(d) && File.Exists(Path.Combine(d, "credentials.txt")) && ReadsOwner(d) == tour.Id);
                Thread.Sleep(50);
            }

            Assert.True(brokerFolder != null, "the tour started its broker");
            tour.Kill();
            tour.WaitForExit();

            // The watchdog polls every 0.5 s; wait for the folder to go (bounded), then assert.
            watch.Restart();
            while (Directory.Exists(brokerFolder) && watch.Elapsed < TimeSpan.FromSeconds(20))
            {
                Thread.Sleep(100);
            }

            Assert.False(Directory.Exists(brokerFolder), "the killed run's broker folder (credentials, TLS key) is gone");
        }

        private static string BrokerFolderUnder(string root)
        {
            try
            {
                return Directory.GetDirectories(root, "*", SearchOption.AllDirectories).FirstOrDefault(d => File.Exists(Path.Combine(d, "credentials.txt")));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // The tour is creating or replacing folders right now: look again on the next round.
                return null;
            }
        }

        private static int ReadsOwner(string folder)
        {
            try
            {
                return int.Parse(File.ReadAllText(Path.Combine(folder, "owner.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException || e is FormatException || e is UnauthorizedAccessException)
            {
                return -1;
            }
        }

        [Fact]
        public void A_crashed_runs_folder_is_removed_by_the_next_start()
        {
            // A folder left by a run whose process is gone (SIGKILL of the test host and its watchdog).
            using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
            gone.WaitForExit();
            string stale = Path.Combine(Path.GetTempPath(), TestBroker.WorkDirectoryPrefix + "stale" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(stale);
            File.WriteAllText(Path.Combine(stale, "owner.pid"), gone.Id + "\n");
            File.WriteAllText(Path.Combine(stale, "credentials.txt"), "device pk dn left-behind-secret\n");

            // A folder of a live run is kept.
            string live = Path.Combine(Path.GetTempPath(), TestBroker.WorkDirectoryPrefix + "live" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(live);
            File.WriteAllText(Path.Combine(live, "owner.pid"), Environment.ProcessId + "\n");
            try
            {
                using (TestBroker.Start())
                {
                }

                Assert.False(Directory.Exists(stale), "stale folder with a secret removed");
                Assert.True(Directory.Exists(live), "a running process's folder is kept");
            }
            finally
            {
                Directory.Delete(live, true);
                if (Directory.Exists(stale))
                {
                    Directory.Delete(stale, true);
                }
            }
        }

        [Fact]
        public void Cloud_registry_and_device_json_holding_secrets_are_private()
        {
            using var temp = new TempFolder("aliyuniot-registry");
            string state = Path.Combine(temp.Path, "state");
            var registry = new AliyunIot.Cloud.Registry.DeviceRegistry(state);
            registry.AddProduct(AliyunIot.Cloud.Registry.DeviceRegistry.DemoProductKey, AliyunIot.Cloud.Tsl.ThingModelDefinition.LoadDemo());
            var device = registry.Register(AliyunIot.Cloud.Registry.DeviceRegistry.DemoProductKey, "private-1");
            registry.Flush();
            string configDir = Path.Combine(temp.Path, "dev");
            string config = AliyunIot.Cloud.Registry.DeviceConfigWriter.Write(temp.Path, configDir, device, "127.0.0.1", 1, "/tmp/ca.pem", null);

            foreach (string dir in new[] { state, configDir })
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
            }

            foreach (string file in new[] { Path.Combine(state, "registry.json"), config })
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
                Assert.Contains(device.DeviceSecret, File.ReadAllText(file));
            }
        }

        [Fact]
        public void A_planted_plugin_is_not_loaded()
        {
            using var cache = new TempFolder("aliyuniot-plugin-cache");
            File.SetUnixFileMode(cache.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            string built = NativeLibraryBuilder.BuildIn(cache.Path, NativeLibraryBuilder.AuthPlugin, "-lcrypto");
            byte[] genuine = File.ReadAllBytes(built);

            // Someone replaces the cached library (or plants one before the first build): it is rebuilt, not used.
            File.WriteAllBytes(built, new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 1, 2, 3 });
            Assert.False(NativeLibraryBuilder.IsIntact(built));
            string again = NativeLibraryBuilder.BuildIn(cache.Path, NativeLibraryBuilder.AuthPlugin, "-lcrypto");
            Assert.Equal(built, again);
            Assert.True(NativeLibraryBuilder.IsIntact(again));
            Assert.NotEqual(7, File.ReadAllBytes(again).Length);
            Assert.Equal(genuine.Length, File.ReadAllBytes(again).Length);

            // The broker's own cache is per user, never the shared predictable path of earlier versions.
            string used = NativeLibraryBuilder.EnsureAuthPlugin();
            Assert.False(used.StartsWith(Path.Combine(Path.GetTempPath(), "aliyuniot-testbroker") + "/", StringComparison.Ordinal), used);
            Assert.True(NativeLibraryBuilder.IsPrivateFolder(Path.GetDirectoryName(used)!, create: false));
            Assert.True(NativeLibraryBuilder.IsIntact(used));

            // A cache folder open to others is not trusted at all.
            string open = cache.Sub("open");
            File.SetUnixFileMode(open, File.GetUnixFileMode(open) | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
            Assert.False(NativeLibraryBuilder.IsPrivateFolder(open, create: false));
        }
    }
}
