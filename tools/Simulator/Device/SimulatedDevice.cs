using AliyunIot.Alink;
using AliyunIot.Cloud.Tsl;
using AliyunIot.Config;
using AliyunIot.Connection;
using AliyunIot.DeviceInfo;
using AliyunIot.HostPorts.Http;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.HostPorts.Platform;
using AliyunIot.HostPorts.Sensors;
using AliyunIot.HostPorts.Storage;
using AliyunIot.LogPost;
using AliyunIot.Ota;
using AliyunIot.RemoteConfig;
using AliyunIot.Ports;
using AliyunIot.Sensors;
using AliyunIot.Shadow;
using AliyunIot.Thing;
using OtaPartition;

namespace AliyunIot.Simulator.Device
{
    /// <summary>
    /// One simulated device: the firmware's portable core with host ports, booted from a flash folder.
    /// Every boot runs the boot guard on the slot manifest and "loads" the application version recorded in the
    /// active slot's image header (the host cannot swap its running .NET assemblies, so the simulated app only
    /// takes its version from the image; the bytes were still downloaded, verified and written for real).
    /// A restart requested by the OTA agent (<see cref="IRestart"/>) stops everything and boots again.
    /// </summary>
    public sealed class SimulatedDevice : IRestart, IDisposable
    {
        private readonly SimulatorOptions _options;
        private readonly ThingModelDefinition _tsl;
        private readonly ILog _log;
        private readonly object _gate = new object();
        private readonly AutoResetEvent _rebootRequested = new AutoResetEvent(false);
        private readonly ManualResetEventSlim _stopped = new ManualResetEventSlim(false);
        private Thread _power;
        private Thread _sampler;
        private volatile bool _disposed;
        private Boot _boot;

        /// <summary>Creates a powered-off device.</summary>
        public SimulatedDevice(SimulatorOptions options, ThingModelDefinition tsl)
        {
            _options = options;
            _tsl = tsl;
            _log = new ConsoleLog(options.LogWriter, options.LogLevel, options.LogPrefix);
            Flash = new SimulatedFlash(options.FlashDirectory, options.ConfigFile);
            Climate = new SimulatedClimate(options.Temperature, options.TargetTemperature);
            Storage = Flash.Storage;
            Pins = new SimulatedPins();
            if (options.OtaPublicKeyFile != null)
            {
                // What flash.ps1 does: the public key is part of the stable platform, never written by OTA.
                File.Copy(options.OtaPublicKeyFile, Path.Combine(Flash.Directory, OtaPartition.StablePlatform.SigningKeyFile), true);
            }
            Network = new SimulatedNetwork(_log);
        }

        /// <summary>The device's network link: set <see cref="SimulatedNetwork.Up"/> false for an outage of this device.</summary>
        public SimulatedNetwork Network { get; }

        /// <summary>Raised after every boot with the version now running (on the power thread).</summary>
        public event Action<SimulatedDevice> Booted;

        /// <summary>Raised on every connection status change (on the session's worker thread).</summary>
        public event Action<SimulatedDevice, ConnectionStatus, string> StatusChanged;

        /// <summary>The flash folder.</summary>
        public SimulatedFlash Flash { get; }

        /// <summary>The flash storage the slot store uses (the same folder).</summary>
        public FileFlashStorage Storage { get; }

        /// <summary>
        /// The board's pins as device.json's <c>sensors</c> section uses them: set digital input levels and ADC
        /// readings here, read what digital outputs were driven to. They outlive reboots, like the wiring.
        /// </summary>
        public SimulatedPins Pins { get; }

        /// <summary>The simulated room (steer it from tests or the command line).</summary>
        public SimulatedClimate Climate { get; }

        /// <summary>Boots so far (1 after <see cref="PowerOn"/>).</summary>
        public int BootCount { get; private set; }

        /// <summary>The application version running now.</summary>
        public string RunningVersion => _boot?.Version;

        /// <summary>What the boot guard decided at the last boot.</summary>
        public BootDecision LastBootDecision => _boot?.Decision;

        /// <summary>The application of the current boot.</summary>
        public SimulatedApplication Application => _boot?.Application;

        /// <summary>The session of the current boot.</summary>
        public AliyunDevice Session => _boot?.Device;

        /// <summary>The thing reporter of the current boot.</summary>
        public ThingReporter Reporter => _boot?.Reporter;

        /// <summary>The device shadow component, or null (<see cref="SimulatorOptions.Shadow"/> off, or not booted).</summary>
        public DeviceShadow Shadow => _boot?.Shadow;

        /// <summary>The device tag component, or null.</summary>
        public DeviceTags Tags => _boot?.Tags;
        /// <summary>The remote config agent of the current boot.</summary>
        public RemoteConfigAgent RemoteConfig => _boot?.RemoteConfig;

        /// <summary>The log poster of the current boot.</summary>
        public LogPoster LogPoster => _boot?.Poster;

        /// <summary>The parsed config of the current boot.</summary>
        public DeviceConfig Config => _boot?.Config;

        /// <summary>Connection status of the current boot.</summary>
        public ConnectionStatus Status => _boot?.Device.Status ?? ConnectionStatus.Stopped;

        /// <summary>Boots the device and keeps it running (rebooting on request) until <see cref="Dispose"/>.</summary>
        public void PowerOn()
        {
            lock (_gate)
            {
                if (_power != null)
                {
                    return;
                }

                StartBoot();
                _power = new Thread(PowerLoop) { IsBackground = true, Name = "sim-power " + _options.LogPrefix };
                _power.Start();
                if (_options.SamplePeriodMs > 0)
                {
                    _sampler = new Thread(SampleLoop) { IsBackground = true, Name = "sim-sensors " + _options.LogPrefix };
                    _sampler.Start();
                }
            }
        }

        /// <summary>Asks for a reboot (the OTA agent after switching slots); returns at once, the power thread reboots.</summary>
        public void Restart(string reason)
        {
            _log.Write(LogLevel.Info, "sim", "reboot requested: " + reason);
            _rebootRequested.Set();
        }

        /// <summary>Takes one sensor sample now and posts it (also used by the tour).</summary>
        public string SampleNow() => _boot?.Application.Sample();

        /// <summary>Waits until <paramref name="condition"/> holds; true if it did within <paramref name="timeout"/>.</summary>
        public static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (!condition())
            {
                if (watch.Elapsed > timeout)
                {
                    return false;
                }

                Thread.Sleep(20);
            }

            return true;
        }

        /// <summary>Powers the device off: stops the session, the sensors and the power thread.</summary>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _stopped.Set();
            _rebootRequested.Set();
            _power?.Join(15000);
            _sampler?.Join(5000);
            lock (_gate)
            {
                _boot?.Stop();
                _boot = null;
            }
        }

        private void PowerLoop()
        {
            while (!_disposed)
            {
                _rebootRequested.WaitOne();
                if (_disposed)
                {
                    return;
                }

                lock (_gate)
                {
                    _boot?.Stop();
                    _boot = null;
                    _log.Write(LogLevel.Info, "sim", "--- reboot ---");
                    StartBoot();
                }
            }
        }

        private void SampleLoop()
        {
            while (!_stopped.Wait(_options.SamplePeriodMs))
            {
                try
                {
                    Boot boot = _boot;
                    if (boot != null && boot.Device.Status == ConnectionStatus.Connected)
                    {
                        boot.Application.Sample();
                    }

                    boot?.Reporter.Tick();
                    boot?.Tags?.Tick();
                }
                catch (Exception e)
                {
                    _log.Write(LogLevel.Error, "sim", "sampling failed: " + e.Message);
                }
            }
        }

        private void StartBoot()
        {
            BootCount++;
            var boot = new Boot(this);
            _boot = boot;
            boot.Start();
            Booted?.Invoke(this);
        }

        /// <summary>Everything that lives for one boot (torn down by a reboot).</summary>
        private sealed class Boot
        {
            private readonly SimulatedDevice _owner;

            public Boot(SimulatedDevice owner)
            {
                _owner = owner;
                var log = new CloudLog(owner._log);
                SlotStore = new SlotStore(owner.Storage);
                Decision = LoadLikeTheLoader(SlotStore, owner.Storage, out string imageVersion);
                Version = imageVersion ?? owner._options.FactoryVersion;
                owner._log.Write(LogLevel.Info, "sim", $"boot #{owner.BootCount}: running application {Version}" + (Decision.HasImage ? $" from slot {SlotStore.SlotLetter(Decision.Slot)}" : " (factory image)"));
                var clock = new SystemClock();
                Config = Provision(owner, owner.Flash.LoadConfig(owner._options, log), clock);
                Application = new SimulatedApplication(owner._tsl, owner.Climate, Version);
                SessionOptions session = SessionOptions.FromLimits(Config.Limits);
                var topics = new DeviceTopics(Config.ProductKey, Config.DeviceName);
                Device = new AliyunDevice(session, topics, new ConfigConnectRequestSource(Config, Config.CaCertificatesPem, clock, null), owner.Network, clock, new SystemRandom(), log);
                var ids = new AlinkIds();
                Reporter = new ThingReporter(Application.Model, topics, Device.Publisher, ids, clock, log, Config.Limits.MaxPayloadBytes, Config.Limits.RequestTimeoutMs, Config.Limits.OfflineQueueLength);
                Application.Attach(Reporter);

                // device.json's sensors, read exactly as on the ESP32 (WiFi in use, so ADC2 channels are refused),
                // over simulated pins instead of GPIO/ADC.
                SensorDefinition[] sensors = SensorConfigParser.Parse(Config.Sensors, true);
                if (sensors.Length > 0)
                {
                    Poller = new SensorPoller(sensors, Application.Model, Reporter, owner.Pins, clock, log);
                    owner._log.Write(LogLevel.Info, "sim", $"{sensors.Length} sensor(s) from device.json on simulated pins");
                }

                Dispatcher = new ThingDispatcher(Application.Model, Reporter, topics, Device.Publisher, log, Config.Limits.MaxPayloadBytes);
                Device.AddHandler(Dispatcher);
                Ota = new OtaAgent(topics, Device.Publisher, new HttpDownloader(), SlotStore, owner, clock, log,
                    Config.Ota == null ? new OtaSettings() : OtaSettings.Parse(Config.Ota), Config.CaCertificatesPem, Version);
                Device.AddHandler(Ota);
                if (owner._options.Shadow)
                {
                    // Optional components: only the core knows nothing of them; the application wires them here.
                    Shadow = new DeviceShadow(topics, Device.Publisher, owner._log, Config.Limits.MaxPayloadBytes, 0);
                    Shadow.DesiredReceived = Application.ApplyDesired;
                    Device.AddHandler(Shadow);
                    Tags = new DeviceTags(topics, Device.Publisher, ids, clock, owner._log, Config.Limits.MaxPayloadBytes, Config.Limits.RequestTimeoutMs);
                    Device.AddHandler(Tags);
                }


                // Remote config: the stored last good config is applied before connecting; the first connect asks
                // thing.config.get, pushes are answered once applied. Log post: lines go through the CloudLog.
                RemoteConfig = new RemoteConfigAgent(topics, Device.Publisher, new HttpDownloader(), owner.Storage, Application, clock, log,
                    RemoteConfigSettings.Parse(Config.Raw?["remoteConfig"] as System.Collections.Hashtable), Config.CaCertificatesPem, ids);
                RemoteConfig.ApplyStored();
                Device.AddHandler(RemoteConfig);
                Poster = new LogPoster(topics, Device.Publisher, ids, clock, owner._log, LogPostSettings.Parse(Config.Raw?["logPost"] as System.Collections.Hashtable)) { Outbox = Device.Outbox };
                Poster.Scrubber.AddSecret(Config.DeviceSecret);
                Poster.Scrubber.AddSecret(Config.ProductSecret);
                Poster.Scrubber.AddSecret(Config.DeviceToken);
                log.Poster = Poster;
                Device.AddHandler(Poster);
                Device.StatusChanged += (status, reason) =>
                {
                    Reporter.Online = status == ConnectionStatus.Connected;
                    if (status == ConnectionStatus.Connected)
                    {
                        Ota.OnConnected();
                        Shadow?.OnConnected();
                        RemoteConfig.OnConnected();
                        Poster.OnConnected();
                    }

                    owner.StatusChanged?.Invoke(owner, status, reason);
                };
            }

            public SlotStore SlotStore { get; }

            /// <summary>
            /// What the ESP32 application does before its first connection: a device.json holding only the
            /// ProductSecret registers (HTTPS, MQTT register or regnwl, per <c>registration</c>) with the firmware's
            /// own <see cref="Provisioning.DynamicRegistration"/>, which persists the credential in the simulated flash
            /// before it is used; the config is then read again (overrides and CA applied). A refusal stops the boot.
            /// </summary>
            private static DeviceConfig Provision(SimulatedDevice owner, DeviceConfig config, IClock clock)
            {
                if (!config.NeedsRegistration)
                {
                    return config;
                }

                var registration = new Provisioning.DynamicRegistration(owner.Flash, new SystemRandom(), clock, owner._log, new HttpPoster(), new MosquittoTransportFactory(owner._log), null);
                Provisioning.RegistrationResult result = registration.EnsureRegistered(config, config.CaCertificatesPem);
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException($"dynamic registration failed ({result.Outcome}, code {result.Code}): {result.Detail}");
                }

                return owner.Flash.LoadConfig(owner._options, owner._log);
            }

            /// <summary>
            /// What the stable loader does on the ESP32: boot guard, then a full check of the active slot's image
            /// (header against content, <see cref="LoaderPlan"/>); a damaged image makes the guard fall back to the other slot.
            /// Returns the decision and the version from the image header (null: no image, factory application).
            /// </summary>
            private static BootDecision LoadLikeTheLoader(SlotStore store, FileFlashStorage storage, out string version)
            {
                var guard = new BootGuard(store);

                // A PC has heap to spare: the plan's heap check never refuses here, its image checks do.
                LoaderPlan plan = LoaderPlan.Choose(guard, storage, guard.Boot(), long.MaxValue / 2, new byte[4096]);
                version = plan.Header?.Version;
                return plan.Decision;
            }

            public BootDecision Decision { get; }

            public string Version { get; }

            public DeviceConfig Config { get; }

            public SimulatedApplication Application { get; }

            public AliyunDevice Device { get; }

            public ThingReporter Reporter { get; }

            public ThingDispatcher Dispatcher { get; }

            public OtaAgent Ota { get; }

            public DeviceShadow Shadow { get; }

            public DeviceTags Tags { get; }
            public RemoteConfigAgent RemoteConfig { get; }

            public LogPoster Poster { get; }

            public SensorPoller Poller { get; }

            private Timer _logTicker;

            public void Start()
            {
                Device.Start();
                _logTicker = new Timer(_ => Poster.Tick(), null, 200, 200);
                Poller?.Start(_owner._options.SensorTickMs);
            }

            public void Stop()
            {
                Poller?.Stop();
                _logTicker?.Dispose();
                RemoteConfig.Stop();
                Ota.Stop();
                Device.Stop();
            }
        }
    }
}
