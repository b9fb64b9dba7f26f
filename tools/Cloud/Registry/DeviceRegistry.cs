using System.Security.Cryptography;
using System.Text.Json;
using AliyunIot.Cloud.Tsl;

namespace AliyunIot.Cloud.Registry
{
    /// <summary>
    /// The cloud's device database: products (with their thing models) and device triples, kept in
    /// <c>{state}/registry.json</c> so a restarted cloud knows its devices. Thread-safe.
    /// </summary>
    public sealed class DeviceRegistry
    {
        /// <summary>The ProductKey of the demo product registered by default.</summary>
        public const string DemoProductKey = "a1SimLamp01";

        private static readonly JsonSerializerOptions Indented = new JsonSerializerOptions { WriteIndented = true };
        private readonly object _gate = new object();
        private readonly string _path;
        private readonly string _root;
        private readonly Dictionary<string, RegisteredProduct> _products = new Dictionary<string, RegisteredProduct>(StringComparer.Ordinal);
        private readonly Dictionary<string, ThingModelDefinition> _models = new Dictionary<string, ThingModelDefinition>(StringComparer.Ordinal);
        private readonly Dictionary<string, RegisteredDevice> _devices = new Dictionary<string, RegisteredDevice>(StringComparer.Ordinal);

        /// <summary>Opens (or creates) the registry in <paramref name="stateDirectory"/>.</summary>
        public DeviceRegistry(string stateDirectory)
        {
            PrivateFiles.EnsureRoot(stateDirectory);
            _root = stateDirectory;
            _path = Path.Combine(stateDirectory, "registry.json");
            if (File.Exists(_path))
            {
                // Written 0644 by older versions: it holds every secret.
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(_path));
                foreach (RegisteredProduct p in stored?.Products ?? new List<RegisteredProduct>())
                {
                    _products[p.ProductKey] = p;
                    _models[p.ProductKey] = ThingModelDefinition.Parse(p.ThingModelJson);
                }

                foreach (RegisteredDevice d in stored?.Devices ?? new List<RegisteredDevice>())
                {
                    _devices[Key(d.ProductKey, d.DeviceName)] = d;
                }
            }
        }

        /// <summary>Every registered device.</summary>
        public IReadOnlyList<RegisteredDevice> Devices
        {
            get
            {
                lock (_gate)
                {
                    return _devices.Values.ToList();
                }
            }
        }

        /// <summary>Every registered product.</summary>
        public IReadOnlyList<RegisteredProduct> Products
        {
            get
            {
                lock (_gate)
                {
                    return _products.Values.ToList();
                }
            }
        }

        /// <summary>Adds a product (or replaces its thing model) and returns it.</summary>
        public RegisteredProduct AddProduct(string productKey, ThingModelDefinition model)
        {
            ValidateName(productKey, "productKey");
            lock (_gate)
            {
                if (!_products.TryGetValue(productKey, out RegisteredProduct product))
                {
                    product = new RegisteredProduct { ProductKey = productKey, ProductSecret = NewSecret() };
                    _products[productKey] = product;
                }

                product.ThingModelJson = model.Json;
                _models[productKey] = model;
                Save();
                return product;
            }
        }

        /// <summary>Registers a device (idempotent: an existing device keeps its secret).</summary>
        /// <exception cref="ArgumentException">Unknown product or a name the platform would refuse.</exception>
        public RegisteredDevice Register(string productKey, string deviceName)
        {
            ValidateName(deviceName, "deviceName");
            lock (_gate)
            {
                RequireProduct(productKey);

                if (!_devices.ContainsKey(Key(productKey, deviceName)))
                {
                    Add(productKey, deviceName, NewSecret());
                    Save();
                }

                return _devices[Key(productKey, deviceName)];
            }
        }

        /// <summary>Switches a product's registration without pre-registration (regnwl) on or off.</summary>
        /// <exception cref="ArgumentException">Unknown product.</exception>
        public RegisteredProduct SetRegistrationWithoutPreRegistration(string productKey, bool allowed)
        {
            lock (_gate)
            {
                RegisteredProduct product = RequireProduct(productKey);
                product.RegistrationWithoutPreRegistration = allowed;
                Save();
                return product;
            }
        }

        /// <summary>
        /// Records a device that registered itself without pre-registration: created when new, its clientId and
        /// deviceToken replaced when it registers again.
        /// </summary>
        /// <exception cref="ArgumentException">Unknown product or a name the platform would refuse.</exception>
        public RegisteredDevice RecordTokenRegistration(string productKey, string deviceName, string clientId, string deviceToken)
        {
            ValidateName(deviceName, "deviceName");
            lock (_gate)
            {
                RequireProduct(productKey);

                RegisteredDevice device = _devices.GetValueOrDefault(Key(productKey, deviceName)) ?? Add(productKey, deviceName, null);
                device.ClientId = clientId;
                device.DeviceToken = deviceToken;
                Save();
                return device;
            }
        }

        /// <summary>Registers many devices with one save (fleet mode).</summary>
        public IReadOnlyList<RegisteredDevice> RegisterMany(string productKey, IEnumerable<string> deviceNames)
        {
            var result = new List<RegisteredDevice>();
            lock (_gate)
            {
                RequireProduct(productKey);
                foreach (string deviceName in deviceNames)
                {
                    ValidateName(deviceName, "deviceName");
                    result.Add(_devices.GetValueOrDefault(Key(productKey, deviceName)) ?? Add(productKey, deviceName, NewSecret()));
                }

                Save();
            }

            return result;
        }

        /// <summary>Writes the registry now (after changes made without a save).</summary>
        public void Flush()
        {
            lock (_gate)
            {
                Save();
            }
        }

        /// <summary>Records where a device's config was written (without saving; see <see cref="Flush"/>).</summary>
        public void SetConfigPathDeferred(RegisteredDevice device, string path)
        {
            lock (_gate)
            {
                device.ConfigPath = path;
            }
        }

        /// <summary>Records where a device's config was written.</summary>
        public void SetConfigPath(RegisteredDevice device, string path)
        {
            lock (_gate)
            {
                device.ConfigPath = path;
                Save();
            }
        }

        /// <summary>Finds a device, or null.</summary>
        public RegisteredDevice Find(string productKey, string deviceName)
        {
            lock (_gate)
            {
                return _devices.GetValueOrDefault(Key(productKey, deviceName));
            }
        }

        /// <summary>The thing model of a product, or null.</summary>
        public ThingModelDefinition ModelOf(string productKey)
        {
            lock (_gate)
            {
                return _models.GetValueOrDefault(productKey);
            }
        }

        /// <summary>
        /// Checks a ProductKey or DeviceName against the platform's rules (4-32 characters of letters, digits and
        /// <c>- _ @ . :</c>), which also keeps them safe inside topics and file paths.
        /// </summary>
        public static void ValidateName(string name, string field)
        {
            if (string.IsNullOrEmpty(name) || name.Length < 4 || name.Length > 32
                || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_' || c == '@' || c == '.' || c == ':'))
                || name == "." || name.Contains(".."))
            {
                throw new ArgumentException($"{field} '{name}' must be 4-32 characters of letters, digits and - _ @ . :");
            }
        }

        private static string Key(string pk, string dn) => pk + "/" + dn;

        // Under _gate: the product, or why there is none.
        private RegisteredProduct RequireProduct(string productKey) =>
            _products.GetValueOrDefault(productKey ?? string.Empty) ?? throw new ArgumentException($"product '{productKey}' is not registered");

        // Under _gate: a new device (secret null for one that registered itself without pre-registration).
        private RegisteredDevice Add(string productKey, string deviceName, string deviceSecret)
        {
            var device = new RegisteredDevice { ProductKey = productKey, DeviceName = deviceName, DeviceSecret = deviceSecret };
            _devices[Key(productKey, deviceName)] = device;
            return device;
        }

        private static string NewSecret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

        private void Save()
        {
            var stored = new Stored { Products = _products.Values.ToList(), Devices = _devices.Values.ToList() };
            PrivateFiles.WriteAllText(_root, _path, JsonSerializer.Serialize(stored, Indented));
        }

        private sealed class Stored
        {
            public List<RegisteredProduct> Products { get; set; }

            public List<RegisteredDevice> Devices { get; set; }
        }
    }
}
