using System;
using System.Device.Gpio;
using System.Threading;
using AliyunIot.Alink;
using AliyunIot.Config;
using AliyunIot.Connection;
using AliyunIot.Crypto;
using AliyunIot.Http;
using AliyunIot.Ports;
using AliyunIot.RemoteConfig;
using AliyunIot.Sensors;
using AliyunIot.Thing;
using AliyunIot.Time;
using OtaPartition;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// The composition root of the ESP32 application, called by the loader (<c>AliyunIot.Loader.Program</c>) through
    /// reflection as <c>DeviceApplication.Run(IFlashStorage)</c>. In order: status LED and watchdog; I:\device.json
    /// (waiting for provisioning when it is missing or invalid); WiFi with a timeout; a valid clock before any TLS;
    /// the CA bundle; dynamic registration when the config asks for it; then the session with its components (NTP,
    /// thing model and sensors, the OTA agent, which confirms a new image and reports the running version, or without
    /// it the core's version reporter, remote config with the stored last good config applied first, then the optional ones); then the main loop, which keeps
    /// WiFi up, ticks the reporter and log post and feeds the watchdog. Never returns while the device works; an exception escapes to the loader, which
    /// reboots (and rolls back an image still on trial).
    /// <para>
    /// Optional components (code OTA, log post, device shadow, dynamic registration) are wired each in its own
    /// <c>DeviceApplication.&lt;Component&gt;.cs</c>, compiled in or out by the build's <c>BoardProfile</c> (Esp32App.nfproj;
    /// docs/board.md, "Build for a board"): this file only calls their hooks, and a hook a left-out component does not
    /// implement is no call at all (a partial method without a body).
    /// </para>
    /// </summary>
    public sealed partial class DeviceApplication
    {
        private const int MainLoopMs = 5000;
        private const int WifiTimeoutMs = 60000;
        private const int TimeTimeoutMs = 60000;
        private const int NtpEveryMs = 600000;
        private const int MemoryReportEveryMs = 600000;
        private const int ClockStepThresholdMs = 2000;

        // The main loop must beat within this, including one WiFi connect (60 s) plus its retry pause (60 s).
        private const int MainLoopAllowanceMs = 180000;

        // The worker sees at least the NTP reply every 10 minutes while connected: three missed ones mean it is stuck.
        private const int WorkerAllowanceMs = 35 * 60000;

        private readonly IFlashStorage _storage;
        private readonly ILog _log;
        private readonly IClock _clock = new DeviceClock();
        private readonly IRandom _random = new DeviceRandom();
        private readonly IHmacSha256 _hmac = new NativeHmacSha256();
        private readonly FlashConfigStore _configStore;

        private GpioController _gpio;
        private StatusLed _led;
        private SoftwareWatchdog _watchdog;
        private int _mainBeat;
        private int _workerBeat;
        private WorkerHeartbeat _heartbeat;
        private WifiLink _wifi;
        private AliyunDevice _device;
        private NtpSync _ntp;
        private ThingReporter _reporter;
        private SensorPoller _poller;
        private RemoteConfigAgent _remoteConfig;

        private DeviceApplication(IFlashStorage storage)
        {
            _storage = storage;

            // Every line goes to the serial console; with log post compiled in and switched on by the cloud, also to the platform.
            ILog log = new DebugLog(LogLevel.Info);
            AttachCloudLog(ref log);
            _log = log;

            // I:\device.json, on the same storage as the OTA slots (the loader's root is I:\).
            _configStore = new FlashConfigStore(storage, FlashConfigStore.DefaultName);
        }

        /// <summary>Entry point for the loader: runs the device until the next reboot.</summary>
        /// <param name="storage">The loader's I:\ storage, where the OTA slots and their manifest live.</param>
        public static void Run(IFlashStorage storage)
        {
            if (storage == null)
            {
                throw new ArgumentNullException("storage");
            }

            new DeviceApplication(storage).RunForever();
        }

        // The optional components' hooks (see the class summary). Each is implemented in the component's own file.

        /// <summary>
        /// Code OTA (DeviceApplication.Ota.cs): the OTA agent, or, in a build without it, the core's
        /// <see cref="FirmwareVersionReporter"/> (reports the version, refuses every job).
        /// </summary>
        partial void AddOta(ProvisioningWait provisioning, DeviceConfig config, string ca, IRestart restart, SlotStore slots, string runningVersion, bool closeMqtt, IHttpDownloader downloader);

        /// <summary>Code OTA: confirms a new image (with the component) and reports the running version after a connect.</summary>
        partial void OtaConnected();

        /// <summary>Code OTA: sets <paramref name="busy"/> while a job runs.</summary>
        partial void OtaBusy(ref bool busy);

        /// <summary>Log post (DeviceApplication.LogPost.cs): wraps the log so its lines can reach the platform.</summary>
        partial void AttachCloudLog(ref ILog log);

        /// <summary>Log post: the poster, attached to the log and the session.</summary>
        partial void AddLogPost(DeviceConfig config, AlinkIds ids);

        /// <summary>Log post: its subscription state after a connect.</summary>
        partial void LogPostConnected();

        /// <summary>Log post: posts what the cloud asked for, from the main loop.</summary>
        partial void LogPostTick();

        /// <summary>Device shadow (DeviceApplication.Shadow.cs): desired attributes drive writable properties.</summary>
        partial void AddShadow(ThingModel model, DeviceLimits limits);

        /// <summary>Device shadow: fetches the shadow after a connect.</summary>
        partial void ShadowConnected();

        /// <summary>Dynamic registration (DeviceApplication.Registration.cs): sets <paramref name="compiledIn"/>.</summary>
        partial void RegistrationCompiledIn(ref bool compiledIn);

        /// <summary>Dynamic registration: replaces <paramref name="config"/> with the registered one (retries until it is).</summary>
        partial void Register(ref DeviceConfig config, string ca);

        private void RunForever()
        {
            _log.Write(LogLevel.Info, "app", "Starting; free managed memory " + FreeMemory().ToString() + " bytes.");
            IRestart restart = new RebootRestart(_log);
            // Without the Provisioning component a device.json asking for dynamic registration is refused like an invalid one.
            bool canRegister = false;
            RegistrationCompiledIn(ref canRegister);
            ProvisioningWait provisioning = new ProvisioningWait(_configStore, _log, canRegister);

            // The LED pin may come from device.json, so read it first; the LED must work when the file is unusable.
            string problem;
            DeviceConfig config = provisioning.TryLoad(out problem);
            BoardSettings board = BoardSettings.From(config == null ? null : config.Raw);
            _gpio = new GpioController();
            _led = new StatusLed(_gpio, board.StatusLedPin, board.StatusLedActiveHigh);
            _watchdog = new SoftwareWatchdog(restart, _log, 10000);
            _mainBeat = _watchdog.Register("main loop", MainLoopAllowanceMs);
            if (config == null)
            {
                config = provisioning.WaitForValidConfig(_led, _watchdog, _mainBeat);
            }

            _log.Write(LogLevel.Info, "config", config.ToString());
            for (int i = 0; config.Warnings != null && i < config.Warnings.Count; i++)
            {
                _log.Write(LogLevel.Warning, "config", (string)config.Warnings[i]);
            }

            JoinWifi(config);
            WaitForTime();
            string ca = CaBundle.Resolve(config.CaCertificatesPem, config.CaCertificatesFile, _log);
            if (config.NeedsRegistration)
            {
                Register(ref config, ca);
            }

            Compose(config, ca, provisioning, restart);

            // RunForever never returns, so this local would keep the parsed tree (with the secrets) alive for good.
            config.ReleaseDocument();
            _device.Start();
            if (_poller != null)
            {
                _poller.Start(1000);
            }

            MainLoop();
        }

        private void JoinWifi(DeviceConfig config)
        {
            // WifiLink decides full join vs reconnect (the full one writes flash) and the pauses; see docs/board.md.
            _wifi = new WifiLink(new WifiNetworkAdapter(), config.WifiSsid, config.WifiPassword, _random, _log);
            while (true)
            {
                _led.Pattern = LedPattern.WifiConnecting;
                if (_wifi.Connect(WifiTimeoutMs))
                {
                    _watchdog.Beat(_mainBeat);
                    return;
                }

                _watchdog.Beat(_mainBeat);
                Thread.Sleep(_wifi.NextPauseMs());
                _watchdog.Beat(_mainBeat);
            }
        }

        private void WaitForTime()
        {
            _led.Pattern = LedPattern.CloudConnecting;

            // Without a valid clock TLS cannot validate the server; the session's TLS back-off covers a late SNTP.
            new TimeWaiter(_log).WaitForValidTime(TimeTimeoutMs);
            _watchdog.Beat(_mainBeat);
        }

        private void Compose(DeviceConfig config, string ca, ProvisioningWait provisioning, IRestart restart)
        {
            _device = new AliyunDevice(config, ca, new M2MqttTransportFactory(), _clock, _random, _log, _hmac);

            // First handler: sees every dispatched message, so the watchdog knows the worker is alive.
            _workerBeat = _watchdog.Register("session worker", WorkerAllowanceMs);
            _watchdog.SetPaused(_workerBeat, true);
            _heartbeat = new WorkerHeartbeat(_watchdog, _workerBeat);
            _device.AddHandler(_heartbeat);

            AlinkIds ids = new AlinkIds();
            _ntp = new NtpSync(_device.Topics, _device.Publisher, _clock, _log);
            _ntp.Synchronized += OnTimeSynchronized;
            _device.AddHandler(_ntp);

            ThingModel model = new ThingModel();
            DeviceLimits limits = config.Limits;
            _reporter = new ThingReporter(model, _device.Topics, _device.Publisher, ids, _clock, _log, limits.MaxPayloadBytes, limits.RequestTimeoutMs, limits.OfflineQueueLength);
            _device.AddHandler(new ThingDispatcher(model, _reporter, _device.Topics, _device.Publisher, _log, limits.MaxPayloadBytes));
            SensorDefinition[] sensors = provisioning.Sensors;
            if (sensors != null && sensors.Length > 0)
            {
                _poller = new SensorPoller(sensors, model, _reporter, new GpioSensorPins(_gpio), _clock, _log);
            }

            // OTA: the agent downloads into the inactive slot of the loader's storage, confirms a new image and reports
            // the running version after each connect; a build without it only reports the version and refuses jobs.
            SlotStore slots = new SlotStore(_storage);
            string runningVersion = slots.ReadManifest().ActiveVersion;
            if (runningVersion.Length == 0)
            {
                // No slot image: the loader runs this assembly from flash (a profile without code OTA, flash.ps1
                // deployed it), so the version the cloud sees is this assembly's AssemblyVersion.
                runningVersion = typeof(DeviceApplication).Assembly.GetName().Version.ToString();
            }

            _log.Write(LogLevel.Info, "app", "Running image version " + runningVersion + ".");
            // One downloader for OTA and remote config: the core's HTTP client over SslStream (no System.Net.Http on the
            // device: its runtime tables alone cost ~5 KB of managed heap). Connect 30 s, 20 s without data ends a read.
            HttpsDownloader downloader = new HttpsDownloader(new SslSocketOpener(), 30000, 20000);
            bool closeMqtt = ClosesMqttDuringDownload(config);
            AddOta(provisioning, config, ca, restart, slots, runningVersion, closeMqtt, downloader);

            // Remote config: the stored last good config first, then thing.config.get on the first connect and pushes.
            _remoteConfig = new RemoteConfigAgent(_device.Topics, _device.Publisher, downloader, _storage,
                new DeviceRemoteConfig(_log), _clock, _log, ComponentSettings.RemoteConfig(config, _log), ca, ids);
            if (closeMqtt)
            {
                _remoteConfig.ConnectionControl = new SessionConnectionControl(_device);
            }

            _remoteConfig.ApplyStored();
            _device.AddHandler(_remoteConfig);

            AddLogPost(config, ids);
            AddShadow(model, limits);
            _device.StatusChanged += OnStatusChanged;
        }

        private void MainLoop()
        {
            long lastNtp = _clock.MonotonicMs;
            long lastMemoryReport = 0;
            while (true)
            {
                _watchdog.Beat(_mainBeat);
                bool wifiUp = _wifi.IsConnected;
                if (!wifiUp)
                {
                    _led.Pattern = LedPattern.WifiConnecting;
                    wifiUp = _wifi.EnsureConnected(WifiTimeoutMs);
                    _watchdog.Beat(_mainBeat);
                }

                if (wifiUp)
                {
                    // Also ends the OTA pattern when an update fails without a session status change.
                    _led.Pattern = SessionPattern(_device.Status);
                }

                long now = _clock.MonotonicMs;
                if (_device.Status == ConnectionStatus.Connected && now - lastNtp >= NtpEveryMs)
                {
                    lastNtp = now;
                    _ntp.Request();
                }

                LogPostTick();
                if (_poller == null)
                {
                    // The poller ticks the reporter itself; without sensors the loop expires unanswered posts.
                    _reporter.Tick();
                }

                if (now - lastMemoryReport >= MemoryReportEveryMs)
                {
                    lastMemoryReport = now;
                    SessionCounters counters = _device.Counters;
                    _log.Write(LogLevel.Info, "app", "Free managed memory " + FreeMemory().ToString() + " bytes; connections " + counters.Connections.ToString() + ", lost " + counters.ConnectionsLost.ToString() + ", messages " + counters.MessagesReceived.ToString() + ".");
                }

                Thread.Sleep(MainLoopMs);
            }
        }

        // Runs on the session's worker thread: quick work only.
        private void OnStatusChanged(ConnectionStatus status, string reason)
        {
            // No log line here: the session logs every outcome with its reason itself.
            _heartbeat.Beat();
            _led.Pattern = SessionPattern(status);
            bool connected = status == ConnectionStatus.Connected;
            _reporter.Online = connected;
            _watchdog.SetPaused(_workerBeat, !connected);
            if (connected)
            {
                OtaConnected();
                _remoteConfig.OnConnected();
                LogPostConnected();
                ShadowConnected();
                _ntp.Request();
            }
        }

        // What the LED shows while WiFi is up: an update in progress, otherwise the session's status.
        private LedPattern SessionPattern(ConnectionStatus status)
        {
            bool busy = _remoteConfig.IsBusy;
            OtaBusy(ref busy);
            return busy ? LedPattern.Ota : StatusLedMapping.For(status);
        }

        // ota.closeMqttDuringDownload, which the config parser fills in from the board profile (BoardBudget) and the
        // OTA component validates: on boards where two TLS sessions do not fit, every HTTPS download (code OTA and
        // remote config) closes the MQTT session first, with or without the OTA component.
        private static bool ClosesMqttDuringDownload(DeviceConfig config)
        {
            object close = config.Ota == null ? null : config.Ota["closeMqttDuringDownload"];
            return close is bool && (bool)close;
        }

        // The platform's NTP reply (four-timestamp formula in NtpSync): step the system clock when SNTP was off.
        private void OnTimeSynchronized(long utcMs, long offsetMs)
        {
            if (offsetMs > ClockStepThresholdMs || offsetMs < -ClockStepThresholdMs)
            {
                DateTime utc = DateTime.UnixEpoch.AddMilliseconds(utcMs);
                if (TimeWaiter.Set(utc))
                {
                    _log.Write(LogLevel.Info, "time", "Clock corrected by " + offsetMs.ToString() + " ms from the platform's NTP.");
                }
            }
        }

        private static uint FreeMemory()
        {
            // Runtime.Native's GC.Run returns the free managed heap (notes §A.10); no compaction here.
            return nanoFramework.Runtime.Native.GC.Run(false);
        }
    }
}
