using System.Text.Json.Nodes;

namespace AliyunIot.Cloud.Tsl
{
    /// <summary>
    /// A product's registered thing model (TSL subset: properties, events, services) and the checks the platform
    /// applies with it: property posts, event posts, property sets and service inputs.
    /// </summary>
    public sealed class ThingModelDefinition
    {
        private readonly Dictionary<string, TslParameter> _properties;
        private readonly Dictionary<string, TslService> _events;
        private readonly Dictionary<string, TslService> _services;

        private ThingModelDefinition(string json, List<TslParameter> properties, List<TslService> events, List<TslService> services)
        {
            Json = json;
            _properties = properties.ToDictionary(p => p.Identifier, StringComparer.Ordinal);
            _events = events.ToDictionary(e => e.Identifier, StringComparer.Ordinal);
            _services = services.ToDictionary(s => s.Identifier, StringComparer.Ordinal);
            Properties = properties;
            Events = events;
            Services = services;
        }

        /// <summary>The TSL text this model was read from.</summary>
        public string Json { get; }

        /// <summary>Properties in declaration order.</summary>
        public IReadOnlyList<TslParameter> Properties { get; }

        /// <summary>Events in declaration order.</summary>
        public IReadOnlyList<TslService> Events { get; }

        /// <summary>Services in declaration order.</summary>
        public IReadOnlyList<TslService> Services { get; }

        /// <summary>The demo product's thing model shipped with the cloud (Products/demo-product.tsl.json).</summary>
        public static ThingModelDefinition LoadDemo()
        {
            string path = Path.Combine(AppContext.BaseDirectory, "Products", "demo-product.tsl.json");
            return Parse(File.ReadAllText(path));
        }

        /// <summary>Reads a TSL document.</summary>
        /// <exception cref="FormatException">The document is not a usable thing model; the message names the field.</exception>
        public static ThingModelDefinition Parse(string json)
        {
            JsonNode root;
            try
            {
                root = JsonNode.Parse(json);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new FormatException("thing model is not valid JSON: " + e.Message);
            }

            var properties = new List<TslParameter>();
            foreach (JsonNode p in root?["properties"] as JsonArray ?? new JsonArray())
            {
                string id = Identifier(p, "properties[]");
                string access = (string)p["accessMode"] ?? "rw";
                properties.Add(new TslParameter(id, TslDataType.Parse(p["dataType"], id), access.Contains('w')));
            }

            var events = new List<TslService>();
            foreach (JsonNode e in root?["events"] as JsonArray ?? new JsonArray())
            {
                string id = Identifier(e, "events[]");
                events.Add(new TslService(id, false, Array.Empty<TslParameter>(), Parameters(e["outputData"], id)));
            }

            var services = new List<TslService>();
            foreach (JsonNode s in root?["services"] as JsonArray ?? new JsonArray())
            {
                string id = Identifier(s, "services[]");
                bool sync = string.Equals((string)s["callType"], "sync", StringComparison.OrdinalIgnoreCase);
                services.Add(new TslService(id, sync, Parameters(s["inputData"], id), Parameters(s["outputData"], id)));
            }

            return new ThingModelDefinition(json, properties, events, services);
        }

        /// <summary>Finds a property.</summary>
        public TslParameter FindProperty(string identifier) => _properties.GetValueOrDefault(identifier);

        /// <summary>Finds a service.</summary>
        public TslService FindService(string identifier) => _services.GetValueOrDefault(identifier);

        /// <summary>Finds an event.</summary>
        public TslService FindEvent(string identifier) => _events.GetValueOrDefault(identifier);

        /// <summary>
        /// Checks the <c>params</c> of a property post: every identifier known, every value (bare or
        /// <c>{"value":..,"time":..}</c>) of the declared type and range.
        /// </summary>
        public TslViolation CheckPropertyPost(JsonNode parameters)
        {
            if (parameters is not JsonObject values || values.Count == 0)
            {
                return new TslViolation(TslCodes.BadFormat, "params must be a non-empty object of property values");
            }

            foreach (var pair in values)
            {
                TslParameter property = FindProperty(pair.Key);
                if (property == null)
                {
                    return new TslViolation(TslCodes.UnknownProperty, $"{pair.Key}: no such property in the thing model");
                }

                JsonNode value = pair.Value is JsonObject wrapped && wrapped.ContainsKey("value") ? wrapped["value"] : pair.Value;
                TslViolation violation = property.DataType.Check(pair.Key, value);
                if (violation != null)
                {
                    return violation;
                }
            }

            return null;
        }

        /// <summary>Checks a property set the cloud is about to send: known, writable, right type and range.</summary>
        public TslViolation CheckPropertySet(JsonObject values)
        {
            if (values == null || values.Count == 0)
            {
                return new TslViolation(TslCodes.BadFormat, "nothing to set");
            }

            foreach (var pair in values)
            {
                TslParameter property = FindProperty(pair.Key);
                if (property == null)
                {
                    return new TslViolation(TslCodes.UnknownProperty, $"{pair.Key}: no such property in the thing model");
                }

                if (!property.Writable)
                {
                    return new TslViolation(TslCodes.OutOfRange, $"{pair.Key}: read-only property");
                }

                TslViolation violation = property.DataType.Check(pair.Key, pair.Value);
                if (violation != null)
                {
                    return violation;
                }
            }

            return null;
        }

        /// <summary>Checks an event post: the event exists and <c>params.value</c> (or bare params) fits its output data.</summary>
        public TslViolation CheckEventPost(string eventId, JsonNode parameters)
        {
            TslService definition = FindEvent(eventId);
            if (definition == null)
            {
                return new TslViolation(TslCodes.UnknownMethod, $"{eventId}: no such event in the thing model");
            }

            if (parameters is not JsonObject data)
            {
                return new TslViolation(TslCodes.BadFormat, "params must be an object");
            }

            // Documented form {"value":{...},"time":..}; the LinkSDK demo sends the outputs directly.
            JsonObject values = data["value"] as JsonObject ?? data;
            return CheckParameters(definition.Output, values, strictUnknown: ReferenceEquals(values, data) ? false : true);
        }

        /// <summary>Checks a service call's input parameters.</summary>
        public TslViolation CheckServiceInput(string serviceId, JsonObject input)
        {
            TslService service = FindService(serviceId);
            if (service == null)
            {
                return new TslViolation(TslCodes.UnknownMethod, $"{serviceId}: no such service in the thing model");
            }

            return CheckParameters(service.Input, input ?? new JsonObject(), strictUnknown: true);
        }

        private static TslViolation CheckParameters(IReadOnlyList<TslParameter> declared, JsonObject values, bool strictUnknown)
        {
            foreach (var pair in values)
            {
                TslParameter parameter = declared.FirstOrDefault(p => p.Identifier == pair.Key);
                if (parameter == null)
                {
                    if (strictUnknown)
                    {
                        return new TslViolation(TslCodes.UnknownProperty, $"{pair.Key}: no such parameter in the thing model");
                    }

                    continue;
                }

                TslViolation violation = parameter.DataType.Check(pair.Key, pair.Value);
                if (violation != null)
                {
                    return violation;
                }
            }

            return null;
        }

        private static string Identifier(JsonNode node, string owner)
        {
            string id = (string)node?["identifier"];
            if (string.IsNullOrEmpty(id))
            {
                throw new FormatException(owner + ": identifier missing");
            }

            return id;
        }

        private static List<TslParameter> Parameters(JsonNode list, string owner)
        {
            var result = new List<TslParameter>();
            foreach (JsonNode p in list as JsonArray ?? new JsonArray())
            {
                string id = Identifier(p, owner);
                result.Add(new TslParameter(id, TslDataType.Parse(p["dataType"], owner + "." + id), true));
            }

            return result;
        }
    }
}
