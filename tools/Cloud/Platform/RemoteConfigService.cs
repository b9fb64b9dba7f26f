using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Mqtt;
using AliyunIot.Cloud.Registry;
using AliyunIot.Ports;

namespace AliyunIot.Cloud.Platform
{
    /// <summary>
    /// The platform's remote config (https://help.aliyun.com/document_detail/89308.html and the user guide 84891):
    /// one config file per PRODUCT (JSON text, at most 64 KB), each edit a new configId; devices ask with
    /// <c>thing.config.get</c> and get <c>{"configId","configSize","getType":"file","sign","signMethod":"Sha256","url"}</c>,
    /// or the console pushes the same fields on <c>thing/config/push</c>. The file is served over the cloud's HTTPS
    /// server at a fresh, OSS-like URL for every answer (<c>?Expires=…&amp;Signature=…</c>; <see cref="ExpireUrls"/>
    /// makes the served URLs answer 403 as an expired OSS URL does). Stored in <c>{state}/remote-config/{pk}.json</c>
    /// so it survives a restart of the cloud.
    /// </summary>
    public sealed class RemoteConfigService
    {
        /// <summary>The platform's size limit for a config file.</summary>
        public const int MaxConfigBytes = 65536;

        private readonly string _stateDirectory;
        private readonly string _directory;
        private readonly DeviceRegistry _registry;
        private readonly ICloudBus _bus;
        private readonly IImageServer _images;
        private readonly Action<string> _expire;
        private readonly ILog _log;
        private readonly ConcurrentDictionary<string, ProductConfig> _configs = new ConcurrentDictionary<string, ProductConfig>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, ConcurrentBag<string>> _served = new ConcurrentDictionary<string, ConcurrentBag<string>>(StringComparer.Ordinal);

        /// <summary>Creates the service and loads the stored configs.</summary>
        /// <param name="stateDirectory">The cloud's state folder.</param>
        /// <param name="registry">Products and devices.</param>
        /// <param name="bus">The cloud's MQTT connection (answers).</param>
        /// <param name="images">The HTTPS server the files are served from.</param>
        /// <param name="expire">Makes a served path answer 403 (null when the server cannot).</param>
        /// <param name="log">Log.</param>
        public RemoteConfigService(string stateDirectory, DeviceRegistry registry, ICloudBus bus, IImageServer images, Action<string> expire, ILog log)
        {
            _stateDirectory = stateDirectory;
            _directory = Path.Combine(stateDirectory, "remote-config");
            _registry = registry;
            _bus = bus;
            _images = images;
            _expire = expire;
            _log = log;
            if (Directory.Exists(_directory))
            {
                foreach (string file in Directory.GetFiles(_directory, "*.json"))
                {
                    JsonNode stored = JsonNode.Parse(File.ReadAllText(file));
                    string pk = Path.GetFileNameWithoutExtension(file);
                    _configs[pk] = new ProductConfig((string)stored["configId"], Convert.FromBase64String((string)stored["contentBase64"]));
                }
            }
        }

        /// <summary>The product's current config id, or null.</summary>
        public string ConfigId(string productKey) => _configs.TryGetValue(productKey, out ProductConfig c) ? c.Id : null;

        /// <summary>The product's current config content, or null.</summary>
        public byte[] Content(string productKey) => _configs.TryGetValue(productKey, out ProductConfig c) ? c.Content : null;

        /// <summary>
        /// Sets the product's config file (a new configId). As the console: JSON text of 1 byte to 64 KB.
        /// </summary>
        /// <exception cref="ArgumentException">Unknown product, empty, over 64 KB, or not JSON.</exception>
        public string Set(string productKey, byte[] content)
        {
            if (_registry.ModelOf(productKey) == null)
            {
                throw new ArgumentException($"product {productKey} is not registered");
            }

            if (content == null || content.Length == 0 || content.Length > MaxConfigBytes)
            {
                throw new ArgumentException($"a remote config file is 1 to {MaxConfigBytes} bytes (this one: {content?.Length ?? 0})");
            }

            try
            {
                JsonNode.Parse(content);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new ArgumentException("a remote config file is JSON text: " + e.Message);
            }

            string id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            _configs[productKey] = new ProductConfig(id, (byte[])content.Clone());
            PrivateFiles.EnsureDirectory(_stateDirectory, _directory);
            var stored = new JsonObject { ["configId"] = id, ["contentBase64"] = Convert.ToBase64String(content) };
            PrivateFiles.WriteAllText(_stateDirectory, Path.Combine(_directory, productKey + ".json"), stored.ToJsonString());
            _log.Write(LogLevel.Info, "cloud", $"product {productKey}: remote config {id} ({content.Length} bytes)");
            return id;
        }

        /// <summary>
        /// The offer for a device: the product's config served at a fresh URL. <paramref name="corruptServedCopy"/>
        /// serves a copy with one byte flipped while announcing the genuine sign (the device must refuse it).
        /// </summary>
        /// <returns>The offer, or null when the product has no config.</returns>
        public JsonObject Offer(string productKey, bool corruptServedCopy = false)
        {
            if (!_configs.TryGetValue(productKey, out ProductConfig config))
            {
                return null;
            }

            byte[] served = config.Content;
            if (corruptServedCopy)
            {
                served = (byte[])served.Clone();
                served[served.Length / 2] ^= 0x20;
            }

            string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
            string path = $"/config/{productKey}/{config.Id}/{token}/config.json";
            string url = _images.Serve(path, served);
            _served.GetOrAdd(productKey, _ => new ConcurrentBag<string>()).Add(path);
            long expires = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds();
            return new JsonObject
            {
                ["configId"] = config.Id,
                ["configSize"] = config.Content.Length,
                ["getType"] = "file",
                ["sign"] = Convert.ToHexString(SHA256.HashData(config.Content)).ToLowerInvariant(),
                ["signMethod"] = "Sha256",
                ["url"] = url + "?Expires=" + expires.ToString(CultureInfo.InvariantCulture) + "&OSSAccessKeyId=local&Signature=" + token,
            };
        }

        /// <summary>Every URL served so far for the product answers 403 from now on (as OSS after 30 minutes).</summary>
        public void ExpireUrls(string productKey)
        {
            if (_expire == null)
            {
                throw new InvalidOperationException("this image server cannot expire URLs");
            }

            foreach (string path in _served.TryGetValue(productKey, out var paths) ? paths : Enumerable.Empty<string>())
            {
                _expire(path);
            }
        }

        /// <summary>Answers <c>/sys/{pk}/{dn}/thing/config/get</c>; true when the message was one.</summary>
        public bool Handle(string topic, byte[] payload)
        {
            string[] parts = topic.Split('/');
            if (parts.Length != 7 || parts[1] != "sys" || parts[4] != "thing" || parts[5] != "config" || parts[6] != "get")
            {
                return false;
            }

            string pk = parts[2];
            if (_registry.Find(pk, parts[3]) == null)
            {
                return false;
            }

            JsonObject request = AlinkMessages.TryParse(payload);
            JsonNode id = request?["id"];
            if (request == null || id == null)
            {
                _bus.Publish(topic + "_reply", AlinkMessages.Reply(id, 460, new JsonObject(), "request parameter error: not an Alink request", "thing.config.get"), 0);
                return true;
            }

            // No config for the product: answered with empty data, as firmware/get with no job.
            JsonObject offer = Offer(pk) ?? new JsonObject();
            _bus.Publish(topic + "_reply", AlinkMessages.Reply(id, 200, offer, "success", "thing.config.get"), 0);
            return true;
        }

        private sealed record ProductConfig(string Id, byte[] Content);
    }
}
