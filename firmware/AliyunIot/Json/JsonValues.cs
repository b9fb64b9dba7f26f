using System.Collections;

namespace AliyunIot.Json
{
    /// <summary>
    /// Typed reads over the Hashtable/ArrayList trees that <see cref="JsonTree"/> produces.
    /// Every number shape a parser may box (int, long, ulong, short, byte, double, float ...) is accepted where a
    /// number is wanted, and every failure is a <see cref="JsonFieldException"/> naming the field.
    /// </summary>
    public static class JsonValues
    {
        /// <summary>Longest decimal Alink id accepted (the platform uses 0…4294967295; a little slack for 64-bit ids).</summary>
        public const int MaxIdLength = 19;

        /// <summary>True when <paramref name="value"/> is a boxed integer of any width.</summary>
        public static bool IsInteger(object value)
        {
            return value is int || value is long || value is short || value is byte || value is sbyte
                || value is ushort || value is uint || value is ulong;
        }

        /// <summary>True when <paramref name="value"/> is a boxed integer or floating-point number.</summary>
        public static bool IsNumber(object value)
        {
            return IsInteger(value) || value is double || value is float;
        }

        /// <summary>Converts a boxed integer to long; false for non-integers and ulong values above long.MaxValue.</summary>
        public static bool TryToLong(object value, out long result)
        {
            result = 0;
            if (value is int) { result = (int)value; return true; }
            if (value is long) { result = (long)value; return true; }
            if (value is short) { result = (short)value; return true; }
            if (value is byte) { result = (byte)value; return true; }
            if (value is sbyte) { result = (sbyte)value; return true; }
            if (value is ushort) { result = (ushort)value; return true; }
            if (value is uint) { result = (uint)value; return true; }
            if (value is ulong)
            {
                ulong u = (ulong)value;
                if (u > (ulong)long.MaxValue)
                {
                    return false;
                }

                result = (long)u;
                return true;
            }

            return false;
        }

        /// <summary>Converts any boxed number to double; false for non-numbers.</summary>
        public static bool TryToDouble(object value, out double result)
        {
            result = 0;
            if (value is double) { result = (double)value; return true; }
            if (value is float) { result = (float)value; return true; }
            if (value is ulong) { result = (ulong)value; return true; }
            long l;
            if (TryToLong(value, out l))
            {
                result = l;
                return true;
            }

            return false;
        }

        /// <summary>The member <paramref name="name"/> of <paramref name="obj"/>, or null when absent.</summary>
        public static object Get(Hashtable obj, string name)
        {
            if (obj == null || !obj.Contains(name))
            {
                return null;
            }

            return obj[name];
        }

        /// <summary>A required string member.</summary>
        /// <exception cref="JsonFieldException">Missing or not a string.</exception>
        public static string GetString(Hashtable obj, string name)
        {
            string value = Get(obj, name) as string;
            if (value == null)
            {
                throw new JsonFieldException(name, obj != null && obj.Contains(name) ? "expected string" : "missing");
            }

            return value;
        }

        /// <summary>An optional string member: null when absent or JSON null.</summary>
        /// <exception cref="JsonFieldException">Present but not a string.</exception>
        public static string GetOptionalString(Hashtable obj, string name)
        {
            object value = Get(obj, name);
            if (value == null)
            {
                return null;
            }

            string text = value as string;
            if (text == null)
            {
                throw new JsonFieldException(name, "expected string");
            }

            return text;
        }

        /// <summary>A required integer member.</summary>
        /// <exception cref="JsonFieldException">Missing, not a number, or has a fraction.</exception>
        public static long GetLong(Hashtable obj, string name)
        {
            object value = Get(obj, name);
            if (value == null)
            {
                throw new JsonFieldException(name, "missing");
            }

            long result;
            if (TryToLong(value, out result))
            {
                return result;
            }

            throw new JsonFieldException(name, IsNumber(value) ? "expected integer" : "expected number");
        }

        /// <summary>A required number member.</summary>
        /// <exception cref="JsonFieldException">Missing or not a number.</exception>
        public static double GetDouble(Hashtable obj, string name)
        {
            object value = Get(obj, name);
            if (value == null)
            {
                throw new JsonFieldException(name, "missing");
            }

            double result;
            if (TryToDouble(value, out result))
            {
                return result;
            }

            throw new JsonFieldException(name, "expected number");
        }

        /// <summary>A required boolean member (JSON true/false only).</summary>
        /// <exception cref="JsonFieldException">Missing or not a boolean.</exception>
        public static bool GetBool(Hashtable obj, string name)
        {
            object value = Get(obj, name);
            if (value == null)
            {
                throw new JsonFieldException(name, "missing");
            }

            if (value is bool)
            {
                return (bool)value;
            }

            throw new JsonFieldException(name, "expected true or false");
        }

        /// <summary>An optional object member: null when absent or JSON null.</summary>
        /// <exception cref="JsonFieldException">Present but not an object.</exception>
        public static Hashtable GetOptionalObject(Hashtable obj, string name)
        {
            object value = Get(obj, name);
            if (value == null)
            {
                return null;
            }

            Hashtable table = value as Hashtable;
            if (table == null)
            {
                throw new JsonFieldException(name, "expected object");
            }

            return table;
        }

        /// <summary>An optional array member: null when absent or JSON null.</summary>
        /// <exception cref="JsonFieldException">Present but not an array.</exception>
        public static ArrayList GetOptionalArray(Hashtable obj, string name)
        {
            object value = Get(obj, name);
            if (value == null)
            {
                return null;
            }

            ArrayList list = value as ArrayList;
            if (list == null)
            {
                throw new JsonFieldException(name, "expected array");
            }

            return list;
        }

        /// <summary>
        /// The Alink message id as a decimal string: a JSON string of 1..<see cref="MaxIdLength"/> digits, or a
        /// non-negative JSON integer (some SDKs send numbers). Anything else is refused, because the id is echoed
        /// back in replies and must not carry arbitrary text.
        /// </summary>
        /// <exception cref="JsonFieldException">Missing, not decimal digits, negative, or too long.</exception>
        public static string GetId(Hashtable obj)
        {
            object value = Get(obj, "id");
            if (value == null)
            {
                throw new JsonFieldException("id", "missing");
            }

            string text = value as string;
            if (text != null)
            {
                if (!IsDecimalId(text))
                {
                    throw new JsonFieldException("id", "expected 1.." + MaxIdLength.ToString() + " decimal digits");
                }

                return text;
            }

            long number;
            if (TryToLong(value, out number) && number >= 0)
            {
                return number.ToString();
            }

            throw new JsonFieldException("id", "expected a decimal string or a non-negative integer");
        }

        /// <summary>
        /// Reads a non-negative whole number sent either as a JSON integer or as a decimal string (1..19 ASCII digits,
        /// no sign or spaces): the platform quotes NTP times and shadow error codes, and not shadow versions.
        /// </summary>
        /// <returns>false (and 0) for anything else.</returns>
        public static bool TryReadWholeNumber(object raw, out long value)
        {
            value = 0;
            string text = raw as string;
            if (text != null)
            {
                return IsDecimalId(text) && long.TryParse(text, out value);
            }

            return IsInteger(raw) && TryToLong(raw, out value) && value >= 0;
        }

        /// <summary>True when <paramref name="text"/> is 1..<see cref="MaxIdLength"/> ASCII digits.</summary>
        public static bool IsDecimalId(string text)
        {
            if (text == null || text.Length == 0 || text.Length > MaxIdLength)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
