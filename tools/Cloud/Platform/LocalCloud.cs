using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Mqtt;
using AliyunIot.Cloud.Registry;
using AliyunIot.Cloud.Traffic;
using AliyunIot.Cloud.Tsl;
using AliyunIot.Ports;

namespace AliyunIot.Cloud.Platform
{
    /// <summary>
    /// The local Alibaba-compatible cloud in one object: broker, device registry, platform responder, commands
    /// (set properties, services, both RRPC forms, OTA jobs) and device state. Used in-process by the tests and
    /// the tour, and behind the control API by <c>cloud serve</c>.
    /// </summary>
    public sealed class LocalCloud : IDisposable
    {
        /// <summary>The platform's RRPC answer window (the caller waits up to ~8 s).</summary>
        public static readonly TimeSpan RrpcTimeout = TimeSpan.FromSeconds(8);

        /// <summary>
        /// Retained presence the broker's auth plugin publishes per device ("online"/"offline"), followed by
        /// <c>{pk}/{dn}</c>; only the cloud's privileged identity can read it.
        /// </summary>
        public const string PresencePrefix = "$aliyuniot/presence/";

        /// <summary>
        /// Where the broker's auth plugin announces a clientId + deviceToken it issued to a device registering
        /// without pre-registration (regnwl), followed by <c>{pk}/{dn}</c>; the cloud records the device.
        /// </summary>
        public const string RegisteredPrefix = "$aliyuniot/registered/";

        private readonly ConcurrentDictionary<string, DeviceState> _states = new ConcurrentDictionary<string, DeviceState>(StringComparer.Ordinal);
        private readonly PendingReplies _pending = new PendingReplies();
        private readonly IDisposable _folder;
        private readonly BrokerLogTail _brokerLog;
        private readonly object _waitGate = new object();
        private readonly PlatformResponder _responder;
        private readonly ILog _log;
        private long _nextId = 1000;
        private int _disposed;

        /// <summary>Starts the cloud on a running broker and image server.</summary>
        /// <param name="stateDirectory">Registry and device configs live here.</param>
        /// <param name="broker">The broker (owned: disposed with the cloud).</param>
        /// <param name="images">The HTTPS image server (owned).</param>
        /// <param name="busFactory">Connects the cloud's privileged MQTT client to the broker.</param>
        /// <param name="log">Log.</param>
        /// <param name="folder">Held for as long as the cloud runs (released last on dispose), or null.</param>
        public LocalCloud(string stateDirectory, IBrokerHost broker, IImageServer images, Func<IBrokerHost, ICloudBus> busFactory, ILog log, IDisposable folder = null)
        {
            _folder = folder;
            StateDirectory = Path.GetFullPath(stateDirectory);
            Broker = broker;
            Images = images;
            _log = log;
            Registry = new DeviceRegistry(StateDirectory);

            // Devices trust the broker's CA through a file in the state folder, which outlives the broker's own folder
            // (the same CA at every start when hosted by CloudHosting: the file then keeps its content).
            CaCertificatePath = Path.Combine(StateDirectory, "ca.pem");
            string caText = File.ReadAllText(broker.CaCertificatePath);
            if (!File.Exists(CaCertificatePath) || File.ReadAllText(CaCertificatePath) != caText)
            {
                PrivateFiles.WriteAllText(StateDirectory, CaCertificatePath, caText);
            }
            if (Registry.ModelOf(DeviceRegistry.DemoProductKey) == null)
            {
                Registry.AddProduct(DeviceRegistry.DemoProductKey, ThingModelDefinition.LoadDemo());
            }

            foreach (RegisteredProduct product in Registry.Products)
            {
                broker.AddProduct(product.ProductKey, product.ProductSecret, product.RegistrationWithoutPreRegistration);
            }

            broker.AddDevices(Registry.Devices.Where(d => d.DeviceSecret != null).Select(d => (d.ProductKey, d.DeviceName, d.DeviceSecret)));
            foreach (RegisteredDevice device in Registry.Devices.Where(d => d.DeviceToken != null))
            {
                broker.AddDeviceToken(device.ProductKey, device.DeviceName, device.ClientId, device.DeviceToken);
            }

            foreach (RegisteredDevice device in Registry.Devices)
            {
                if (device.ConfigPath != null)
                {
                    // Keep the written configs pointing at this broker; only inside the state folder (a config that
                    // older versions wrote elsewhere is rewritten here, where device.ConfigPath then points).
                    string own = ConfigDirectory(device.ProductKey, device.DeviceName);
                    bool inside = Path.GetDirectoryName(Path.GetFullPath(device.ConfigPath)) == own && File.Exists(device.ConfigPath);
                    WriteConfig(device, inside ? ExistingSections(device.ConfigPath) : null, save: false);
                }
            }

            Traffic = new TrafficLog(StateDirectory);
            _brokerLog = broker.LogPath == null ? null : new BrokerLogTail(broker.LogPath, Traffic);
            if (_brokerLog != null)
            {
                _brokerLog.ConnectionEnded += (pk, dn, reason) => State(pk, dn).RecordOfflineReason(reason);
            }
            Bus = new RecordingBus(busFactory(broker), Traffic);
            _responder = new PlatformResponder(Registry, Bus, State, log);
            Shadows = new ShadowService(Registry, Bus, log);
            Shadows.Changed += Pulse;
            Tags = new TagService(Registry, Bus, log);
            Tags.Changed += Pulse;
            RemoteConfig = new RemoteConfigService(StateDirectory, Registry, Bus, images, (images as Hosting.HttpsImageServer)?.Server is { } https ? path => https.Expire(path) : null, log);
            DeviceLogs = new DeviceLogService(Registry, Bus, log);
            DeviceLogs.Changed += Pulse;
            Bus.MessageReceived += OnMessage;
            Bus.Connected += OnBusConnected;
            Bus.Subscribe(PlatformResponder.Subscriptions);
            Bus.Subscribe(PresencePrefix + "#");
            Bus.Subscribe(ShadowService.UpdateFilter);
            Bus.Subscribe(RegisteredPrefix + "#");

            // Custom topics (/{pk}/{dn}/user/...): nobody answers them here, but the traffic log shows them.
            Bus.Subscribe("/+/+/user/#");

            // Last: what the broker queued for the cloud's session arrives right after the CONNACK.
            try
            {
                Bus.Open();
            }
            catch
            {
                // Not started: the caller still owns the broker, the image server and the folder.
                Bus.Dispose();
                _brokerLog?.Dispose();
                Traffic.Dispose();
                throw;
            }
        }

        /// <summary>Where the registry and configs live.</summary>
        public string StateDirectory { get; }

        /// <summary>The broker's CA certificate (PEM), copied into the state folder; device configs point at it.</summary>
        public string CaCertificatePath { get; }

        /// <summary>The broker.</summary>
        public IBrokerHost Broker { get; }

        /// <summary>The HTTPS image server.</summary>
        public IImageServer Images { get; }

        /// <summary>The cloud's MQTT connection.</summary>
        public ICloudBus Bus { get; }

        /// <summary>Products and devices.</summary>
        public DeviceRegistry Registry { get; }

        /// <summary>Device shadows (reported/desired/version): answers <c>/shadow/update</c>, pushes desired states.</summary>
        public ShadowService Shadows { get; }

        /// <summary>Device tags (<c>thing.deviceinfo.update/delete</c>).</summary>
        public TagService Tags { get; }

        /// <summary>Every message both ways, connects, disconnects, refused logins and denials (<c>cloud watch</c>).</summary>
        public TrafficLog Traffic { get; }

        /// <summary>Remote config: one file per product, served over HTTPS, answered to thing.config.get.</summary>
        public RemoteConfigService RemoteConfig { get; }

        /// <summary>Device local logs: the per-device switch and the lines devices post.</summary>
        public DeviceLogService DeviceLogs { get; }

        /// <summary>
        /// Registers a device of a product (the demo product by default) and writes its device.json to
        /// <c>{state}/devices/{pk}/{dn}/device.json</c> (0600, never through a symbolic link).
        /// </summary>
        /// <param name="productKey">Product, null for the demo product.</param>
        /// <param name="deviceName">Device name (4-32 chars).</param>
        /// <param name="extraSections">Extra config sections, only those in <see cref="DeviceConfigWriter.ExtraSections"/>, or null.</param>
        /// <exception cref="ArgumentException">A section the cloud does not let a caller choose (identity, endpoint, CA...).</exception>
        public RegisteredDevice Register(string productKey, string deviceName, JsonObject extraSections = null)
        {
            productKey ??= DeviceRegistry.DemoProductKey;
            DeviceConfigWriter.CheckExtraSections(extraSections);
            DeviceRegistry.ValidateName(productKey, "productKey");
            DeviceRegistry.ValidateName(deviceName, "deviceName");

            // Before anything is recorded: a folder on the way that is a link refuses the registration.
            PrivateFiles.EnsureDirectory(StateDirectory, ConfigDirectory(productKey, deviceName));
            RegisteredDevice device = Registry.Register(productKey, deviceName);
            Broker.AddDevice(device.ProductKey, device.DeviceName, device.DeviceSecret);
            WriteConfig(device, extraSections);
            State(productKey, deviceName);
            _log.Write(LogLevel.Info, "cloud", $"registered {device}");
            return device;
        }

        /// <summary>
        /// Writes <c>{state}/devices/{pk}/{dn}/device.json</c> for a device that registers itself: it holds the
        /// ProductSecret and <paramref name="registration"/> (<c>"mqtt"</c>: the device must be registered already;
        /// <c>"mqtt-nwl"</c>: the product must allow registration without pre-registration) instead of a secret.
        /// Nothing is registered here; the device appears in the registry once it has registered.
        /// </summary>
        /// <exception cref="ArgumentException">Unknown product, bad name, or another registration value.</exception>
        public string WriteRegistrationConfig(string productKey, string deviceName, string registration)
        {
            productKey ??= DeviceRegistry.DemoProductKey;
            DeviceRegistry.ValidateName(deviceName, "deviceName");
            if (registration != "mqtt" && registration != "mqtt-nwl")
            {
                throw new ArgumentException("registration must be \"mqtt\" or \"mqtt-nwl\" (the local cloud serves MQTT registration)");
            }

            RegisteredProduct product = Registry.Products.FirstOrDefault(p => p.ProductKey == productKey)
                ?? throw new ArgumentException($"product '{productKey}' is not registered");
            string path = Path.Combine(ConfigDirectory(productKey, deviceName), "device.json");
            PrivateFiles.WriteAllText(StateDirectory, path, DeviceConfigWriter.BuildForRegistration(productKey, deviceName, product.ProductSecret, registration, Broker.Host, Broker.TlsPort, CaCertificatePath));
            _log.Write(LogLevel.Info, "cloud", $"wrote a {registration} registration config for {productKey}/{deviceName}");
            return path;
        }

        /// <summary>
        /// Registers many devices of one product at once (fleet mode): one broker credentials update, configs
        /// written to {state}/devices/{pk}/{dn}. Returns them in the order of <paramref name="deviceNames"/>.
        /// </summary>
        public IReadOnlyList<RegisteredDevice> RegisterMany(string productKey, IEnumerable<string> deviceNames, JsonObject extraSections = null)
        {
            productKey ??= DeviceRegistry.DemoProductKey;
            DeviceConfigWriter.CheckExtraSections(extraSections);
            var devices = Registry.RegisterMany(productKey, deviceNames);
            Broker.AddDevices(devices.Select(d => (d.ProductKey, d.DeviceName, d.DeviceSecret)));
            foreach (RegisteredDevice device in devices)
            {
                WriteConfig(device, extraSections, save: false);
                State(productKey, device.DeviceName);
            }

            Registry.Flush();
            return devices;
        }

        /// <summary>
        /// Adds a product with its thing model (or replaces the model of an existing one; the ProductSecret is kept),
        /// so devices of it can be registered and their posts are checked against that model.
        /// </summary>
        /// <exception cref="ArgumentException">A ProductKey the platform would refuse.</exception>
        public RegisteredProduct AddProduct(string productKey, ThingModelDefinition model)
        {
            RegisteredProduct product = Registry.AddProduct(productKey, model);
            Broker.AddProduct(product.ProductKey, product.ProductSecret, product.RegistrationWithoutPreRegistration);
            _log.Write(LogLevel.Info, "cloud", $"product {product.ProductKey}: thing model with {model.Properties.Count} properties");
            return product;
        }

        /// <summary>The state of a device (created on first use).</summary>
        public DeviceState State(string productKey, string deviceName) =>
            _states.GetOrAdd(productKey + "/" + deviceName, _ => Watch(new DeviceState(productKey, deviceName)));

        /// <summary>Sends <c>thing.service.property.set</c> and waits for <c>set_reply</c>.</summary>
        /// <param name="productKey">Product.</param>
        /// <param name="deviceName">Device.</param>
        /// <param name="values">Property values to set.</param>
        /// <param name="validate">Refuse locally what breaks the thing model (as the console does); false sends it anyway.</param>
        /// <param name="timeout">How long to wait for set_reply (10 s by default).</param>
        public CommandResult SetProperties(string productKey, string deviceName, JsonObject values, bool validate = true, TimeSpan? timeout = null)
        {
            string prefix = $"/sys/{productKey}/{deviceName}/";
            if (validate && Refuse(productKey, deviceName, m => m.CheckPropertySet(values)) is CommandResult refused)
            {
                return refused;
            }

            string topic = prefix + "thing/service/property/set";
            return Exchange(topic, topic + "_reply", values, "thing.service.property.set", 1, timeout ?? TimeSpan.FromSeconds(10), ReplyMatch.AlinkId);
        }

        /// <summary>Calls an asynchronous service (<c>thing/service/{id}</c>) and waits for <c>{id}_reply</c>.</summary>
        public CommandResult CallService(string productKey, string deviceName, string serviceId, JsonObject input, bool validate = true, TimeSpan? timeout = null)
        {
            if (validate && Refuse(productKey, deviceName, m => m.CheckServiceInput(serviceId, input)) is CommandResult refused)
            {
                return refused;
            }

            string topic = $"/sys/{productKey}/{deviceName}/thing/service/{serviceId}";
            return Exchange(topic, topic + "_reply", input, "thing.service." + serviceId, 1, timeout ?? TimeSpan.FromSeconds(10), ReplyMatch.AlinkId);
        }

        /// <summary>
        /// Calls a synchronous service over RRPC and waits up to the platform's window for the answer.
        /// <see cref="RrpcForm.System"/>: request on <c>/sys/{pk}/{dn}/rrpc/request/{messageId}</c>, answer on
        /// <c>.../rrpc/response/{messageId}</c>. <see cref="RrpcForm.Ext"/>: request and answer on
        /// <c>/ext/rrpc/{messageId}/sys/{pk}/{dn}/thing/service/{id}</c>. As on the platform (RRpc API,
        /// https://help.aliyun.com/document_detail/69797.htm; aliyun-protocol.md §3.7–3.8): the answer is matched by
        /// the messageId in its topic, whatever id its payload carries (or none); the broker takes answers at QoS 0
        /// only; a device that is not connected is answered at once with <see cref="CommandResult.RrpcOffline"/>.
        /// </summary>
        /// <param name="productKey">Product.</param>
        /// <param name="deviceName">Device.</param>
        /// <param name="serviceId">Service identifier.</param>
        /// <param name="input">Input parameters.</param>
        /// <param name="form">Topic form.</param>
        /// <param name="validate">Refuse locally what breaks the thing model.</param>
        /// <param name="timeout">The answer window, 1–8 s as the RRpc API's Timeout (8 s by default).</param>
        public CommandResult Rrpc(string productKey, string deviceName, string serviceId, JsonObject input, RrpcForm form, bool validate = true, TimeSpan? timeout = null)
        {
            if (timeout is TimeSpan window && (window < TimeSpan.FromSeconds(1) || window > RrpcTimeout))
            {
                throw new ArgumentException("an RRPC timeout is 1000 to 8000 ms (the platform's RRpc API range)");
            }

            if (validate && Refuse(productKey, deviceName, m => m.CheckServiceInput(serviceId, input)) is CommandResult refused)
            {
                return refused;
            }

            if (!State(productKey, deviceName).Online)
            {
                return new CommandResult { Code = 0, RrpcCode = CommandResult.RrpcOffline, Message = $"device {productKey}/{deviceName} is offline" };
            }

            string messageId = NextId();
            string request = form == RrpcForm.System
                ? $"/sys/{productKey}/{deviceName}/rrpc/request/{messageId}"
                : $"/ext/rrpc/{messageId}/sys/{productKey}/{deviceName}/thing/service/{serviceId}";
            string response = form == RrpcForm.System ? $"/sys/{productKey}/{deviceName}/rrpc/response/{messageId}" : request;
            return Exchange(request, response, input, "thing.service." + serviceId, 0, timeout ?? RrpcTimeout, form == RrpcForm.System ? ReplyMatch.Topic : ReplyMatch.TopicNotEcho);
        }

        /// <summary>
        /// Pushes an OTA job: serves the image over HTTPS and publishes size, version, url, md5, sign and
        /// signMethod on <c>/ota/device/upgrade/{pk}/{dn}</c>; the job also answers <c>firmware/get</c>.
        /// </summary>
        /// <param name="productKey">Product.</param>
        /// <param name="deviceName">Device.</param>
        /// <param name="image">The image bytes (output of the packer).</param>
        /// <param name="version">Target version.</param>
        /// <param name="signMethod">"SHA256" or "MD5" (any case).</param>
        /// <param name="corruptServedCopy">Serve a copy with one byte flipped while announcing the genuine digest (the device must report −3).</param>
        /// <param name="module">OTA module, null for the default.</param>
        public OtaJob PushOta(string productKey, string deviceName, byte[] image, string version, string signMethod = "SHA256", bool corruptServedCopy = false, string module = null)
        {
            if (Registry.Find(productKey, deviceName) == null)
            {
                throw new ArgumentException($"device {productKey}/{deviceName} is not registered");
            }

            bool sha = signMethod.Equals("SHA256", StringComparison.OrdinalIgnoreCase);
            if (!sha && !signMethod.Equals("MD5", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException("signMethod must be SHA256 or MD5");
            }

            string md5 = Convert.ToHexString(MD5.HashData(image)).ToLowerInvariant();
            byte[] served = image;
            if (corruptServedCopy)
            {
                served = (byte[])image.Clone();
                served[served.Length / 2] ^= 0x5A;
            }

            string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
            string url = Images.Serve($"/ota/{productKey}/{deviceName}/{Uri.EscapeDataString(version)}/{token}/image.bin", served);
            var job = new OtaJob
            {
                Version = version,
                Size = image.Length,
                Url = url,
                Md5 = md5,
                Sign = sha ? Convert.ToHexString(SHA256.HashData(image)).ToLowerInvariant() : md5,
                SignMethod = signMethod,
                Module = module,
            };
            State(productKey, deviceName).StartJob(job);
            var push = new JsonObject
            {
                ["code"] = "1000",
                ["data"] = job.ToPushData(),
                ["id"] = long.Parse(NextId(), System.Globalization.CultureInfo.InvariantCulture),
                ["message"] = "success",
            };
            Bus.Publish($"/ota/device/upgrade/{productKey}/{deviceName}", System.Text.Encoding.UTF8.GetBytes(push.ToJsonString()), 1);
            _log.Write(LogLevel.Info, "cloud", $"OTA job {version} ({image.Length} bytes, {signMethod}) pushed to {productKey}/{deviceName}");
            return job;
        }

        /// <summary>
        /// Pushes the product's remote config to one device (<c>thing/config/push</c> with configId, configSize, sign,
        /// signMethod, url, getType, as the console's batch update does per device) and waits for <c>push_reply</c>,
        /// which this project's device sends once the file is downloaded, verified and applied (or refused).
        /// </summary>
        /// <param name="productKey">Product.</param>
        /// <param name="deviceName">Device.</param>
        /// <param name="corruptServedCopy">Serve a copy with one byte flipped while announcing the genuine sign.</param>
        /// <param name="timeout">How long to wait for push_reply (30 s by default).</param>
        /// <exception cref="ArgumentException">Unknown device, or the product has no config.</exception>
        public CommandResult PushConfig(string productKey, string deviceName, bool corruptServedCopy = false, TimeSpan? timeout = null)
        {
            if (Registry.Find(productKey, deviceName) == null)
            {
                throw new ArgumentException($"device {productKey}/{deviceName} is not registered");
            }

            JsonObject offer = RemoteConfig.Offer(productKey, corruptServedCopy) ?? throw new ArgumentException($"product {productKey} has no remote config (set one first)");
            string topic = $"/sys/{productKey}/{deviceName}/thing/config/push";
            _log.Write(LogLevel.Info, "cloud", $"remote config {offer["configId"]} pushed to {productKey}/{deviceName}");
            return Exchange(topic, topic + "_reply", offer, "thing.config.push", 1, timeout ?? TimeSpan.FromSeconds(30), ReplyMatch.AlinkId);
        }

        /// <summary>Waits until <paramref name="condition"/> holds or the timeout passes; true if it held.</summary>
        public bool WaitUntil(Func<bool> condition, TimeSpan timeout)
        {
            var watch = Stopwatch.StartNew();
            while (!condition())
            {
                if (watch.Elapsed >= timeout)
                {
                    return false;
                }

                lock (_waitGate)
                {
                    Monitor.Wait(_waitGate, 100);
                }
            }

            return true;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            Bus?.Dispose();
            Images?.Dispose();
            Broker?.Dispose();
            _brokerLog?.Dispose();
            Traffic?.Dispose();
            _folder?.Dispose();
        }

        private CommandResult Refuse(string productKey, string deviceName, Func<ThingModelDefinition, TslViolation> check)
        {
            if (Registry.Find(productKey, deviceName) == null)
            {
                return new CommandResult { Code = TslCodes.UnknownDevice, Message = $"device {productKey}/{deviceName} is not registered" };
            }

            TslViolation violation = check(Registry.ModelOf(productKey));
            return violation == null ? null : new CommandResult { Code = violation.Code, Message = "refused by the cloud: " + violation.Message };
        }

        private CommandResult Exchange(string requestTopic, string replyTopic, JsonObject parameters, string method, int qos, TimeSpan timeout, ReplyMatch match)
        {
            string id = NextId();
            byte[] request = AlinkMessages.Request(id, parameters, method);
            bool rrpc = match != ReplyMatch.AlinkId;
            using PendingReplies.Pending pending = _pending.Add(replyTopic, match, id, request);
            var watch = Stopwatch.StartNew();
            if (!Bus.Publish(requestTopic, request, qos))
            {
                return new CommandResult { Code = 0, Message = "the cloud is not connected to the broker", RequestTopic = requestTopic };
            }

            if (!pending.Done.Wait(timeout))
            {
                return new CommandResult
                {
                    Code = 0,
                    Message = $"no answer within {timeout.TotalSeconds:0.#} s",
                    ElapsedMs = watch.ElapsedMilliseconds,
                    RequestTopic = requestTopic,
                    RrpcCode = rrpc ? CommandResult.RrpcTimeout : null,
                };
            }

            JsonObject reply = pending.Json;
            return new CommandResult
            {
                Code = (int?)(reply?["code"] as JsonValue) ?? 0,
                Message = (string)(reply?["message"] as JsonValue),
                Data = reply?["data"]?.DeepClone(),
                ElapsedMs = watch.ElapsedMilliseconds,
                RequestTopic = requestTopic,
                ReplyTopic = replyTopic,
                RrpcCode = rrpc ? CommandResult.RrpcSuccess : null,
                Payload = rrpc ? System.Text.Encoding.UTF8.GetString(pending.Payload) : null,
            };
        }

        private void OnMessage(string topic, byte[] payload)
        {
            if (topic.StartsWith(PresencePrefix, StringComparison.Ordinal))
            {
                string[] parts = topic.Substring(PresencePrefix.Length).Split('/');
                if (parts.Length == 2 && payload.Length == 0)
                {
                    // A restarted broker clearing the last run's presence: nobody is connected yet.
                    State(parts[0], parts[1]).RecordPresence(false);
                }
                else if (parts.Length == 2)
                {
                    // "online", or "offline" and why the connection ended (the auth plugin's words).
                    string text = System.Text.Encoding.UTF8.GetString(payload);
                    bool online = text == "online";
                    string reason = !online && text.StartsWith("offline ", StringComparison.Ordinal) ? text.Substring("offline ".Length) : null;
                    // Only changes: the retained presence is delivered again at every subscription. An end without a
                    // reason here is recorded with mosquitto's reason by the broker log tail.
                    if (State(parts[0], parts[1]).RecordPresence(online, reason) && (online || reason != null))
                    {
                        Traffic.Record(online ? TrafficEntry.Connect : TrafficEntry.Disconnect, parts[0], parts[1], detail: reason);
                    }
                }

                return;
            }

            if (topic.StartsWith(RegisteredPrefix, StringComparison.Ordinal))
            {
                RecordTokenRegistration(topic.Substring(RegisteredPrefix.Length), payload);
                return;
            }

            if (!_pending.Offer(topic, payload) && !Shadows.Handle(topic, payload) && !Tags.Handle(topic, payload)
                && !RemoteConfig.Handle(topic, payload) && !DeviceLogs.Handle(topic, payload))
            {
                _responder.Handle(topic, payload);
            }
        }

        // The broker issued clientId + deviceToken (regnwl): the device joins the registry (so its posts are answered)
        // and the token goes to the broker's credentials file (so it still logs in after a broker restart).
        private void RecordTokenRegistration(string identity, byte[] payload)
        {
            string[] parts = identity.Split('/');
            JsonObject answer = AlinkMessages.TryParse(payload);
            string clientId = (string)(answer?["clientId"] as JsonValue);
            string token = (string)(answer?["deviceToken"] as JsonValue);
            if (parts.Length != 2 || clientId == null || token == null)
            {
                return;
            }

            RegisteredDevice known = Registry.Find(parts[0], parts[1]);
            if (known?.DeviceToken == token)
            {
                return; // the retained announcement again, after a reconnect of the cloud's bus
            }

            try
            {
                RegisteredDevice device = Registry.RecordTokenRegistration(parts[0], parts[1], clientId, token);
                Broker.AddDeviceToken(device.ProductKey, device.DeviceName, clientId, token);
                _log.Write(LogLevel.Info, "cloud", $"{device} registered itself without pre-registration (clientId and deviceToken issued)");
            }
            catch (ArgumentException e)
            {
                _log.Write(LogLevel.Warning, "cloud", $"registration of {parts[0]}/{parts[1]} not recorded: {e.Message}");
            }
        }

        /// <summary>
        /// Switches a product's dynamic registration without pre-registration (the console's product setting): when
        /// on, a device holding only the ProductSecret may register any valid name with authType=regnwl.
        /// </summary>
        /// <exception cref="ArgumentException">Unknown product.</exception>
        public RegisteredProduct AllowRegistrationWithoutPreRegistration(string productKey, bool allowed)
        {
            RegisteredProduct product = Registry.SetRegistrationWithoutPreRegistration(productKey, allowed);
            Broker.AddProduct(product.ProductKey, product.ProductSecret, allowed);
            return product;
        }

        private void OnBusConnected(bool sessionPresent)
        {
            if (sessionPresent)
            {
                // The broker kept the cloud's session: every presence change since the last connection follows.
                return;
            }

            // A new session: the retained presence that follows the subscription is the truth now.
            foreach (DeviceState state in _states.Values)
            {
                if (state.Online)
                {
                    state.RecordPresence(false);
                }
            }
        }

        private DeviceState Watch(DeviceState state)
        {
            state.Changed += Pulse;
            return state;
        }

        private void Pulse()
        {
            lock (_waitGate)
            {
                Monitor.PulseAll(_waitGate);
            }
        }

        private string ConfigDirectory(string productKey, string deviceName) => Path.Combine(StateDirectory, "devices", productKey, deviceName);

        private void WriteConfig(RegisteredDevice device, JsonObject extraSections, bool save = true)
        {
            string path = DeviceConfigWriter.Write(StateDirectory, ConfigDirectory(device.ProductKey, device.DeviceName), device, Broker.Host, Broker.TlsPort, CaCertificatePath, extraSections);
            if (!save)
            {
                Registry.SetConfigPathDeferred(device, path);
            }
            else if (device.ConfigPath != path)
            {
                Registry.SetConfigPath(device, path);
            }
        }

        private static JsonObject ExistingSections(string configPath)
        {
            var sections = new JsonObject();
            if (JsonNode.Parse(File.ReadAllText(configPath)) is JsonObject existing)
            {
                foreach (var pair in existing)
                {
                    if (DeviceConfigWriter.ExtraSections.Contains(pair.Key))
                    {
                        sections[pair.Key] = pair.Value?.DeepClone();
                    }
                }
            }

            return sections;
        }

        private string NextId() => Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
