using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AliyunIot.Cloud.Tsl
{
    /// <summary>
    /// The data type of one TSL property or parameter (int, float, double, bool, enum, text, date, struct, array)
    /// with its specs, and the value check the platform applies to what a device posts or what the cloud sends.
    /// TSL format of the composite types (the platform's "What is a TSL model" page): struct specs are an array
    /// of members <c>{"identifier","name","dataType"}</c>; array specs are <c>{"size":"1..512","item":{"type",
    /// "specs"}}</c> with item type int, float, double, text or struct.
    /// </summary>
    public sealed class TslDataType
    {
        private TslDataType(string type, double? min, double? max, int? maxLength, IReadOnlyDictionary<string, string> names, int? decimals = null)
        {
            Type = type;
            Decimals = decimals;
            Min = min;
            Max = max;
            MaxLength = maxLength;
            EnumNames = names;
        }

        /// <summary>"int", "float", "double", "bool", "enum", "text", "date", "struct" or "array".</summary>
        public string Type { get; }

        /// <summary>A struct's members, in TSL order; null for other types.</summary>
        public IReadOnlyList<TslParameter> Members { get; private init; }

        /// <summary>An array's element type; null for other types.</summary>
        public TslDataType Item { get; private init; }

        /// <summary>An array's largest element count; null for other types.</summary>
        public int? Size { get; private init; }

        /// <summary>Lower bound for numbers, when declared.</summary>
        public double? Min { get; }

        /// <summary>Upper bound for numbers, when declared.</summary>
        public double? Max { get; }

        /// <summary>Decimals of a float/double's declared <c>step</c> ("0.001" → 3), when declared.</summary>
        public int? Decimals { get; }

        /// <summary>Longest text in characters, when declared.</summary>
        public int? MaxLength { get; }

        /// <summary>Allowed values of bool/enum (value → name).</summary>
        public IReadOnlyDictionary<string, string> EnumNames { get; }

        /// <summary>Reads a TSL <c>dataType</c> object.</summary>
        /// <exception cref="FormatException">The type is unknown or a spec is not a number.</exception>
        public static TslDataType Parse(JsonNode dataType, string owner)
        {
            string type = (string)dataType?["type"] ?? throw new FormatException($"{owner}: dataType.type missing");
            JsonObject specs = dataType["specs"] as JsonObject ?? new JsonObject();
            switch (type)
            {
                case "int":
                case "float":
                case "double":
                    return new TslDataType(type, Number(specs, "min", owner), Number(specs, "max", owner), null, null, type == "int" ? null : StepDecimals(specs, owner));
                case "text":
                    double? length = Number(specs, "length", owner);
                    return new TslDataType(type, null, null, length.HasValue ? (int)length.Value : 2048, null);
                case "date":
                    return new TslDataType(type, null, null, null, null);
                case "bool":
                case "enum":
                    var names = new Dictionary<string, string>();
                    foreach (var pair in specs)
                    {
                        names[pair.Key] = pair.Value?.ToString() ?? string.Empty;
                    }

                    if (type == "bool" && names.Count == 0)
                    {
                        names["0"] = "false";
                        names["1"] = "true";
                    }

                    return new TslDataType(type, null, null, null, names);
                case "struct":
                    return new TslDataType(type, null, null, null, null) { Members = StructMembers(dataType["specs"], owner) };
                case "array":
                    return ParseArray(specs, owner);
                default:
                    throw new FormatException($"{owner}: unsupported dataType '{type}'");
            }
        }

        private static IReadOnlyList<TslParameter> StructMembers(JsonNode specs, string owner)
        {
            if (specs is not JsonArray list || list.Count == 0)
            {
                throw new FormatException($"{owner}: a struct's specs must be a non-empty array of members");
            }

            var members = new List<TslParameter>();
            foreach (JsonNode member in list)
            {
                string id = (string)member?["identifier"];
                if (string.IsNullOrEmpty(id) || members.Any(m => m.Identifier == id))
                {
                    throw new FormatException($"{owner}: struct member without identifier or repeated ('{id}')");
                }

                TslDataType type = Parse(member["dataType"], owner + "." + id);
                if (type.Type is "struct" or "array")
                {
                    throw new FormatException($"{owner}.{id}: a struct member cannot be a {type.Type}");
                }

                members.Add(new TslParameter(id, type, true));
            }

            return members;
        }

        private static TslDataType ParseArray(JsonObject specs, string owner)
        {
            double? size = Number(specs, "size", owner);
            if (size is not double count || count < 1 || count > 512 || count != Math.Floor(count))
            {
                throw new FormatException($"{owner}: an array's specs.size must be 1 to 512");
            }

            TslDataType item = Parse(specs["item"], owner + "[]");
            if (item.Type is not ("int" or "float" or "double" or "text" or "struct"))
            {
                throw new FormatException($"{owner}: array items are int, float, double, text or struct, not {item.Type}");
            }

            return new TslDataType("array", null, null, null, null) { Item = item, Size = (int)count };
        }

        private static int? StepDecimals(JsonObject specs, string owner)
        {
            if (Number(specs, "step", owner) is not double step || step <= 0)
            {
                return null;
            }

            string text = step.ToString("0.##########", CultureInfo.InvariantCulture);
            int dot = text.IndexOf('.');
            return dot < 0 ? 0 : Math.Min(6, text.Length - dot - 1);
        }

        /// <summary>Checks one value; returns null when it fits, else the reason (naming no secret).</summary>
        public TslViolation Check(string identifier, JsonNode value)
        {
            if (value == null)
            {
                return new TslViolation(TslCodes.TypeMismatch, $"{identifier}: null is not a {Type}");
            }

            JsonValueKind kind = value.GetValueKind();
            switch (Type)
            {
                case "int":
                    if (kind != JsonValueKind.Number || !long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long whole))
                    {
                        return new TslViolation(TslCodes.TypeMismatch, $"{identifier}: expected int, got {Describe(value)}");
                    }

                    return Range(identifier, whole);
                case "float":
                case "double":
                    if (kind != JsonValueKind.Number)
                    {
                        return new TslViolation(TslCodes.TypeMismatch, $"{identifier}: expected {Type}, got {Describe(value)}");
                    }

                    return Range(identifier, value.GetValue<double>());
                case "bool":
                case "enum":
                    string key;
                    if (kind == JsonValueKind.Number)
                    {
                        key = value.ToJsonString();
                    }
                    else if (Type == "bool" && (kind == JsonValueKind.True || kind == JsonValueKind.False))
                    {
                        // The platform's bool is 0/1; true/false is accepted too (documented leniency).
                        key = kind == JsonValueKind.True ? "1" : "0";
                    }
                    else
                    {
                        return new TslViolation(TslCodes.TypeMismatch, $"{identifier}: expected {Type}, got {Describe(value)}");
                    }

                    return EnumNames.ContainsKey(key)
                        ? null
                        : new TslViolation(TslCodes.OutOfRange, $"{identifier}: {key} is not one of {string.Join(",", EnumNames.Keys)}");
                case "text":
                    if (kind != JsonValueKind.String)
                    {
                        return new TslViolation(TslCodes.TypeMismatch, $"{identifier}: expected text, got {Describe(value)}");
                    }

                    return value.GetValue<string>().Length > MaxLength
                        ? new TslViolation(TslCodes.OutOfRange, $"{identifier}: text longer than {MaxLength}")
                        : null;
                case "date":
                    // The platform's date is a UTC millisecond timestamp, usually sent as a string.
                    string text = kind == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
                    return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                        ? null
                        : new TslViolation(TslCodes.TypeMismatch, $"{identifier}: expected a date (UTC ms), got {Describe(value)}");
                case "struct":
                    return CheckStruct(identifier, value);
                case "array":
                    return CheckArray(identifier, value);
                default:
                    return new TslViolation(TslCodes.TypeMismatch, $"{identifier}: unsupported type {Type}");
            }
        }

        private TslViolation CheckStruct(string identifier, JsonNode value)
        {
            if (value is not JsonObject fields)
            {
                return new TslViolation(TslCodes.TypeMismatch, $"{identifier}: expected struct, got {Describe(value)}");
            }

            foreach (var pair in fields)
            {
                TslParameter member = Members.FirstOrDefault(m => m.Identifier == pair.Key);
                TslViolation violation = member == null
                    ? new TslViolation(TslCodes.UnknownProperty, $"{identifier}.{pair.Key}: no such struct member")
                    : member.DataType.Check(identifier + "." + pair.Key, pair.Value);
                if (violation != null)
                {
                    return violation;
                }
            }

            return null;
        }

        private TslViolation CheckArray(string identifier, JsonNode value)
        {
            if (value is not JsonArray items)
            {
                return new TslViolation(TslCodes.TypeMismatch, $"{identifier}: expected array, got {Describe(value)}");
            }

            if (items.Count > Size)
            {
                return new TslViolation(TslCodes.OutOfRange, $"{identifier}: {items.Count} elements, at most {Size}");
            }

            for (int i = 0; i < items.Count; i++)
            {
                TslViolation violation = Item.Check($"{identifier}[{i}]", items[i]);
                if (violation != null)
                {
                    return violation;
                }
            }

            return null;
        }

        private TslViolation Range(string identifier, double number)
        {
            if ((Min.HasValue && number < Min.Value) || (Max.HasValue && number > Max.Value))
            {
                return new TslViolation(
                    TslCodes.OutOfRange,
                    $"{identifier}: {number.ToString(CultureInfo.InvariantCulture)} outside [{Min?.ToString(CultureInfo.InvariantCulture)}, {Max?.ToString(CultureInfo.InvariantCulture)}]");
            }

            return null;
        }

        private static string Describe(JsonNode value)
        {
            string json = value.ToJsonString();
            return json.Length > 40 ? json.Substring(0, 40) + "..." : json;
        }

        private static double? Number(JsonObject specs, string name, string owner)
        {
            JsonNode node = specs[name];
            if (node == null)
            {
                return null;
            }

            string text = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                throw new FormatException($"{owner}: specs.{name} '{text}' is not a number");
            }

            return value;
        }
    }
}
