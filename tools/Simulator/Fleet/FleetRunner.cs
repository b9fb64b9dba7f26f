using System.Collections.Concurrent;
using System.Diagnostics;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Connection;
using AliyunIot.HostPorts.Platform;
using AliyunIot.Ports;
using AliyunIot.Simulator.Device;

namespace AliyunIot.Simulator.Fleet
{
    /// <summary>
    /// Fleet mode: N simulated devices in one process against one local cloud, each with its own identity,
    /// flash folder and session. Measures how long each takes to connect, then restarts the broker and measures
    /// when each reconnects: the session's jittered back-off must spread that storm over its window.
    /// </summary>
    public sealed class FleetRunner
    {
        private readonly string _work;
        private readonly int _count;
        private readonly TextWriter _out;
        private readonly TextWriter _deviceLog;

        /// <summary>Creates a fleet of <paramref name="count"/> devices working in <paramref name="workDirectory"/>.</summary>
        public FleetRunner(string workDirectory, int count, TextWriter output, TextWriter deviceLog)
        {
            _work = Path.GetFullPath(workDirectory);
            _count = count;
            _out = output;
            _deviceLog = deviceLog ?? TextWriter.Null;
        }

        /// <summary>
        /// Where a fleet's work directory (cloud state, the devices' flash folders) goes by default: RAM (/dev/shm)
        /// when there is one. A thousand devices booting at once each flush their manifest and config to "flash"; on
        /// one shared disk those fsyncs queue up and stall the whole machine for seconds, which a real fleet (one
        /// flash chip per device) never sees.
        /// </summary>
        public static string DefaultWorkRoot()
        {
            const string shm = "/dev/shm";
            try
            {
                // Present is not enough: some containers mount it read-only or too small to create anything.
                string probe = Path.Combine(shm, "aliyuniot-probe-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(probe);
                Directory.Delete(probe);
                return shm;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Path.GetTempPath();
            }
        }

        /// <summary>Devices powered on per second (0: one after the other as fast as possible).</summary>
        public int PowerOnPerSecond { get; set; }

        /// <summary>Connect times (ms from power-on of the fleet), one per connected device.</summary>
        public IReadOnlyList<double> ConnectTimesMs { get; private set; } = Array.Empty<double>();

        /// <summary>Reconnect times (ms from the broker going down), one per reconnected device.</summary>
        public IReadOnlyList<double> ReconnectTimesMs { get; private set; } = Array.Empty<double>();

        /// <summary>
        /// Every connection attempt after the broker went down (ms from then), several per device when the first
        /// ones fail: the load the devices' back-off puts on the broker.
        /// </summary>
        public IReadOnlyList<double> ReconnectAttemptTimesMs { get; private set; } = Array.Empty<double>();

        /// <summary>Runs the fleet; returns 0 when every device connected and reconnected.</summary>
        /// <param name="restartBroker">Measure the reconnect after a broker restart.</param>
        /// <param name="timeout">Longest wait for each phase.</param>
        public int Run(bool restartBroker, TimeSpan timeout)
        {
            var log = new ConsoleLog(_deviceLog, LogLevel.Warning, "cloud");

            // Every run starts from factory-fresh devices: a flash folder left by an earlier run in the same work
            // directory would keep that run's device.json, whose broker port no longer exists.
            string flashRoot = Path.Combine(_work, "fleet");
            if (Directory.Exists(flashRoot))
            {
                Directory.Delete(flashRoot, recursive: true);
            }

            using LocalCloud cloud = CloudHosting.Start(Path.Combine(_work, "cloud"), log);
            var names = Enumerable.Range(1, _count).Select(i => $"fleet-{i:D4}").ToList();
            var registered = cloud.RegisterMany(DeviceRegistry.DemoProductKey, names);
            _out.WriteLine($"fleet: {_count} devices registered on {cloud.Broker.Host}:{cloud.Broker.TlsPort} (TLS, one identity each)");

            var connected = new ConcurrentDictionary<string, double>();
            var reconnected = new ConcurrentDictionary<string, double>();
            var attempts = new ConcurrentQueue<double>();
            var clock = Stopwatch.StartNew();
            double restartAt = double.MaxValue;
            var devices = new List<SimulatedDevice>();
            try
            {
                foreach (RegisteredDevice d in registered)
                {
                    var device = new SimulatedDevice(
                        new SimulatorOptions
                        {
                            FlashDirectory = Path.Combine(flashRoot, d.DeviceName),
                            ConfigFile = d.ConfigPath,
                            SamplePeriodMs = 0,
                            Shadow = false,
                            LogWriter = _deviceLog,
                            LogLevel = LogLevel.Warning,
                            LogPrefix = d.DeviceName,
                        },
                        cloud.Registry.ModelOf(d.ProductKey));
                    string name = d.DeviceName;
                    device.StatusChanged += (_, status, _) =>
                    {
                        double now = clock.Elapsed.TotalMilliseconds;
                        if (status == ConnectionStatus.Connecting && now >= Volatile.Read(ref restartAt))
                        {
                            attempts.Enqueue(now - restartAt);
                        }

                        if (status != ConnectionStatus.Connected)
                        {
                            return;
                        }

                        if (now >= Volatile.Read(ref restartAt))
                        {
                            reconnected.TryAdd(name, now - restartAt);
                        }
                        else
                        {
                            connected.TryAdd(name, now);
                        }
                    };
                    devices.Add(device);
                }

                ProcessFigures powerOn = ProcessFigures.Now();
                clock.Restart();
                for (int i = 0; i < devices.Count; i++)
                {
                    if (PowerOnPerSecond > 0)
                    {
                        // A real fleet does not boot in the same instant: stagger power-on at the given rate.
                        double due = i * 1000.0 / PowerOnPerSecond;
                        double wait = due - clock.Elapsed.TotalMilliseconds;
                        if (wait > 0)
                        {
                            Thread.Sleep((int)wait);
                        }
                    }

                    devices[i].PowerOn();
                }

                _out.WriteLine($"fleet: {devices.Count} devices powered on in {clock.Elapsed.TotalMilliseconds:0} ms");

                SimulatedDevice.WaitUntil(() => connected.Count == _count, timeout);
                ConnectTimesMs = connected.Values.ToList();
                Report("connect", ConnectTimesMs, "from power-on", "the fleet");
                _out.WriteLine("fleet: process: " + powerOn.SinceThen());
                if (connected.Count < _count)
                {
                    _out.WriteLine($"fleet: only {connected.Count} of {_count} connected within {timeout.TotalSeconds:0} s");
                    return 1;
                }

                if (!restartBroker)
                {
                    return 0;
                }

                long overflowsBefore = ListenQueueCounters.ReadListenOverflows();
                ProcessFigures storm = ProcessFigures.Now();
                Volatile.Write(ref restartAt, clock.Elapsed.TotalMilliseconds);
                _out.WriteLine("fleet: restarting the broker (every connection drops) ...");
                cloud.Broker.Restart();
                _out.WriteLine($"fleet: broker back after {clock.Elapsed.TotalMilliseconds - restartAt:0} ms");
                SimulatedDevice.WaitUntil(() => reconnected.Count == _count, timeout);
                ReconnectTimesMs = reconnected.Values.ToList();
                ReconnectAttemptTimesMs = attempts.ToList();
                Report("reconnect attempt", ReconnectAttemptTimesMs, "from the broker going down; the devices' back-off at work", "attempts");
                Report("reconnect", ReconnectTimesMs, "from the broker going down", "the fleet");
                ReportListenDrops(overflowsBefore);
                _out.WriteLine("fleet: process: " + storm.SinceThen());
                if (reconnected.Count < _count)
                {
                    _out.WriteLine($"fleet: only {reconnected.Count} of {_count} reconnected within {timeout.TotalSeconds:0} s");
                    return 1;
                }

                return 0;
            }
            finally
            {
                // Power off in parallel: each stop joins a few threads.
                Parallel.ForEach(devices, new ParallelOptions { MaxDegreeOfParallelism = 8 }, d => d.Dispose());
            }
        }

        private void ReportListenDrops(long before)
        {
            long after = ListenQueueCounters.ReadListenOverflows();
            if (before < 0 || after < 0)
            {
                return;
            }

            long dropped = after - before;
            _out.WriteLine(dropped == 0
                ? "fleet: the kernel dropped no connection attempt at a full accept queue"
                : $"fleet: the kernel dropped {dropped} connection attempts at a full accept queue (machine-wide; mosquitto listens with a backlog of 100): "
                  + "those clients' TCP resent its SYN after 1, 3, 7 s, which bunches the reconnect times above; the attempt times show the back-off itself");
        }

        private void Report(string what, IReadOnlyList<double> times, string origin, string population)
        {
            var distribution = new Distribution(times);
            _out.WriteLine($"{what} times ({origin}): {distribution}");
            if (times.Count == 0)
            {
                return;
            }

            double bucket = BucketFor(distribution.Max);
            var histogram = new Histogram(times, bucket);
            _out.Write(histogram.Render());
            _out.WriteLine($"{what}: {histogram.OccupiedBuckets} buckets of {bucket / 1000.0:0.###} s occupied; largest bucket holds {histogram.LargestBucketShare:P0} of {population}; {times.Count(t => t < 1000)} within the first second");
        }

        private static double BucketFor(double maxMs)
        {
            foreach (double candidate in new[] { 100.0, 250.0, 500.0, 1000.0, 2000.0, 5000.0 })
            {
                if (maxMs / candidate <= 30)
                {
                    return candidate;
                }
            }

            return 10000.0;
        }
    }
}
