using AliyunIot.Json;

namespace AliyunIot.Thing
{
    /// <summary>
    /// One property (or service/event parameter) of the thing model: identifier, type, range or length or enum
    /// values, decimals for numbers, struct members or array element type and size, and access. Validates values
    /// from the network and writes values to JSON with the declared precision (3.3 with 1 decimal is <c>3.3</c>,
    /// never <c>3.2999999999999998</c>). Create with the static factories.
    /// </summary>
    public sealed class PropertyDefinition
    {
        /// <summary>Longest text value the platform allows (aliyun-protocol.md §5.2).</summary>
        public const int MaxTextLength = 10240;

        private readonly int[] _enumValues;

        private PropertyDefinition(string identifier, PropertyType type, PropertyAccess access, double min, double max, int decimals, int maxLength, int[] enumValues)
        {
            if (!Alink.AlinkTopicClassifier.IsSafeIdentifier(identifier))
            {
                throw new System.ArgumentException("identifier must be 1..64 letters, digits, '_' or ':'");
            }

            if (min > max)
            {
                throw new System.ArgumentException("property " + identifier + ": min above max");
            }

            if (decimals < 0 || decimals > 9)
            {
                throw new System.ArgumentException("property " + identifier + ": decimals must be 0..9");
            }

            Identifier = identifier;
            Type = type;
            Access = access;
            Min = min;
            Max = max;
            Decimals = decimals;
            MaxLength = maxLength;
            _enumValues = enumValues;
        }

        /// <summary>TSL identifier.</summary>
        public string Identifier { get; private set; }

        /// <summary>Data type.</summary>
        public PropertyType Type { get; private set; }

        /// <summary>Read-only or read-write.</summary>
        public PropertyAccess Access { get; private set; }

        /// <summary>Smallest value (numbers).</summary>
        public double Min { get; private set; }

        /// <summary>Largest value (numbers).</summary>
        public double Max { get; private set; }

        /// <summary>Digits after the point when written (Float, Double).</summary>
        public int Decimals { get; private set; }

        /// <summary>Longest text in characters (Text); most elements (Array).</summary>
        public int MaxLength { get; private set; }

        /// <summary>The members of a Struct, in declaration order (the order they are written in); null otherwise.</summary>
        public ParameterList Members { get; private set; }

        /// <summary>The element type of an Array (its identifier is not used); null otherwise.</summary>
        public PropertyDefinition Item { get; private set; }

        /// <summary>Applies cloud sets; null means a set is stored without calling anything.</summary>
        public PropertySetHandler Setter { get; set; }

        /// <summary>Number of allowed enum values (Enum).</summary>
        public int EnumValueCount
        {
            get { return _enumValues == null ? 0 : _enumValues.Length; }
        }

        /// <summary>The allowed enum value at <paramref name="index"/>.</summary>
        public int GetEnumValue(int index)
        {
            return _enumValues[index];
        }

        /// <summary>A 32-bit integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
        public static PropertyDefinition Int(string identifier, int min, int max, PropertyAccess access)
        {
            return new PropertyDefinition(identifier, PropertyType.Int, access, min, max, 0, 0, null);
        }

        /// <summary>A float in [<paramref name="min"/>, <paramref name="max"/>] written with <paramref name="decimals"/> digits.</summary>
        public static PropertyDefinition Float(string identifier, double min, double max, int decimals, PropertyAccess access)
        {
            return new PropertyDefinition(identifier, PropertyType.Float, access, min, max, decimals, 0, null);
        }

        /// <summary>A double in [<paramref name="min"/>, <paramref name="max"/>] written with <paramref name="decimals"/> digits.</summary>
        public static PropertyDefinition Double(string identifier, double min, double max, int decimals, PropertyAccess access)
        {
            return new PropertyDefinition(identifier, PropertyType.Double, access, min, max, decimals, 0, null);
        }

        /// <summary>A boolean (0/1 on the wire).</summary>
        public static PropertyDefinition Bool(string identifier, PropertyAccess access)
        {
            return new PropertyDefinition(identifier, PropertyType.Bool, access, 0, 1, 0, 0, null);
        }

        /// <summary>An enumeration of the given integer values.</summary>
        public static PropertyDefinition Enum(string identifier, int[] values, PropertyAccess access)
        {
            if (values == null || values.Length == 0)
            {
                throw new System.ArgumentException("property " + identifier + ": enum needs values");
            }

            int[] copy = new int[values.Length];
            System.Array.Copy(values, copy, values.Length);
            return new PropertyDefinition(identifier, PropertyType.Enum, access, 0, 0, 0, 0, copy);
        }

        /// <summary>Text of at most <paramref name="maxLength"/> characters (1..10240).</summary>
        public static PropertyDefinition Text(string identifier, int maxLength, PropertyAccess access)
        {
            if (maxLength < 1 || maxLength > MaxTextLength)
            {
                throw new System.ArgumentException("property " + identifier + ": text length must be 1..10240");
            }

            return new PropertyDefinition(identifier, PropertyType.Text, access, 0, 0, 0, maxLength, null);
        }

        /// <summary>A UTC timestamp in milliseconds.</summary>
        public static PropertyDefinition Date(string identifier, PropertyAccess access)
        {
            return new PropertyDefinition(identifier, PropertyType.Date, access, 0, 0, 0, 0, null);
        }

        /// <summary>
        /// A TSL <c>struct</c>: a JSON object of the given members (int, float, double, bool, enum, text or date: the
        /// platform allows no nesting), each checked against its own type and range. Handlers get a
        /// <see cref="System.Collections.Hashtable"/> of member identifier → value; a member left out of a set or
        /// post is left out of the value.
        /// </summary>
        /// <exception cref="System.ArgumentException">No members, a member given twice, or a struct/array member.</exception>
        public static PropertyDefinition Struct(string identifier, PropertyDefinition[] members, PropertyAccess access)
        {
            if (members == null || members.Length == 0)
            {
                throw new System.ArgumentException("property " + identifier + ": struct needs members");
            }

            ParameterList list = new ParameterList();
            for (int i = 0; i < members.Length; i++)
            {
                PropertyDefinition member = members[i];
                if (member != null && (member.Type == PropertyType.Struct || member.Type == PropertyType.Array))
                {
                    throw new System.ArgumentException("property " + identifier + ": a struct member cannot be a struct or an array");
                }

                list.Add(member);
            }

            PropertyDefinition definition = new PropertyDefinition(identifier, PropertyType.Struct, access, 0, 0, 0, 0, null);
            definition.Members = list;
            return definition;
        }

        /// <summary>
        /// A TSL <c>array</c> of at most <paramref name="maxElements"/> (1..512) elements of one type: int, float,
        /// double, text or struct (<paramref name="item"/>, whose identifier is not used, e.g.
        /// <c>PropertyDefinition.Int("item", 0, 100, access)</c>). Handlers get an <c>object[]</c> of element values.
        /// </summary>
        /// <exception cref="System.ArgumentException">A size outside 1..512 or an element type the platform does not allow.</exception>
        public static PropertyDefinition Array(string identifier, PropertyDefinition item, int maxElements, PropertyAccess access)
        {
            if (item == null || !(item.Type == PropertyType.Int || item.Type == PropertyType.Float || item.Type == PropertyType.Double || item.Type == PropertyType.Text || item.Type == PropertyType.Struct))
            {
                throw new System.ArgumentException("property " + identifier + ": array elements are int, float, double, text or struct");
            }

            if (maxElements < 1 || maxElements > CompositeValues.MaxArrayElements)
            {
                throw new System.ArgumentException("property " + identifier + ": array size must be 1..512");
            }

            PropertyDefinition definition = new PropertyDefinition(identifier, PropertyType.Array, access, 0, 0, 0, maxElements, null);
            definition.Item = item;
            return definition;
        }

        /// <summary>
        /// Checks a value as parsed from JSON (or given by the application) and converts it to this property's
        /// boxed type.
        /// </summary>
        /// <param name="raw">The value.</param>
        /// <param name="value">The converted value when valid, else null.</param>
        /// <returns>null when valid, otherwise why not (without the value itself), e.g. "above maximum 50".</returns>
        public string Validate(object raw, out object value)
        {
            value = null;
            if (raw == null)
            {
                return "missing value";
            }

            long integer;
            double number;
            switch (Type)
            {
                case PropertyType.Int:
                    if (!JsonValues.TryToLong(raw, out integer))
                    {
                        return JsonValues.IsNumber(raw) ? "expected integer" : "expected number";
                    }

                    if (integer < Min)
                    {
                        return "below minimum " + ((long)Min).ToString();
                    }

                    if (integer > Max)
                    {
                        return "above maximum " + ((long)Max).ToString();
                    }

                    value = (int)integer;
                    return null;

                case PropertyType.Float:
                case PropertyType.Double:
                    if (!JsonValues.TryToDouble(raw, out number))
                    {
                        return "expected number";
                    }

                    if (double.IsNaN(number) || double.IsInfinity(number))
                    {
                        return "expected a finite number";
                    }

                    if (number < Min)
                    {
                        return "below minimum " + Min.ToString();
                    }

                    if (number > Max)
                    {
                        return "above maximum " + Max.ToString();
                    }

                    value = number;
                    return null;

                case PropertyType.Bool:
                    if (raw is bool)
                    {
                        value = raw;
                        return null;
                    }

                    if (JsonValues.TryToLong(raw, out integer) && (integer == 0 || integer == 1))
                    {
                        value = integer == 1;
                        return null;
                    }

                    return "expected 0 or 1";

                case PropertyType.Enum:
                    if (!JsonValues.TryToLong(raw, out integer))
                    {
                        return "expected integer";
                    }

                    for (int i = 0; i < _enumValues.Length; i++)
                    {
                        if (_enumValues[i] == integer)
                        {
                            value = (int)integer;
                            return null;
                        }
                    }

                    return "not one of the enum values";

                case PropertyType.Text:
                    string text = raw as string;
                    if (text == null)
                    {
                        return "expected string";
                    }

                    if (text.Length > MaxLength)
                    {
                        return "longer than " + MaxLength.ToString() + " characters";
                    }

                    value = text;
                    return null;

                case PropertyType.Date:
                    string digits = raw as string;
                    if (digits != null)
                    {
                        if (!JsonValues.IsDecimalId(digits) || digits.Length > 15)
                        {
                            return "expected UTC milliseconds";
                        }

                        value = long.Parse(digits);
                        return null;
                    }

                    if (JsonValues.TryToLong(raw, out integer) && integer >= 0 && integer <= 999999999999999)
                    {
                        value = integer;
                        return null;
                    }

                    return "expected UTC milliseconds";

                case PropertyType.Struct:
                    return CompositeValues.ValidateStruct(Members, raw, out value);

                case PropertyType.Array:
                    return CompositeValues.ValidateArray(Item, MaxLength, raw, out value);
            }

            return "unsupported type";
        }

        /// <summary>Writes a value previously returned by <see cref="Validate"/>.</summary>
        public void Write(JsonWriter json, object value)
        {
            switch (Type)
            {
                case PropertyType.Int:
                case PropertyType.Enum:
                    json.Long((int)value);
                    break;
                case PropertyType.Float:
                case PropertyType.Double:
                    json.Double((double)value, Decimals);
                    break;
                case PropertyType.Bool:
                    json.Long((bool)value ? 1 : 0);
                    break;
                case PropertyType.Text:
                    json.String((string)value);
                    break;
                case PropertyType.Date:
                    json.String(((long)value).ToString());
                    break;
                case PropertyType.Struct:
                    Members.WriteObject(json, (System.Collections.Hashtable)value);
                    break;
                case PropertyType.Array:
                    CompositeValues.WriteArray(json, Item, (object[])value);
                    break;
            }
        }

        /// <summary>True when two validated values are the same.</summary>
        public static bool SameValue(object a, object b)
        {
            if (a == null || b == null)
            {
                return a == null && b == null;
            }

            // Struct and array values are containers (compared by content: a set of the same value is no change).
            if (a is System.Collections.Hashtable || a is object[])
            {
                return CompositeValues.Same(a, b);
            }

            return a.Equals(b);
        }
    }
}
