using System;
using System.Collections;
using System.Text;

namespace AliyunIot.Json
{
    /// <summary>
    /// Writes a value of the tree <see cref="JsonTree"/> builds (Hashtable, ArrayList, string, int, long, double,
    /// bool, null) through a <see cref="JsonWriter"/>: object members in ordinal key order, so the same tree always
    /// gives the same bytes; doubles with the fewest decimals (0..9) that reproduce them, so 0.1 stays 0.1 and
    /// 10.0 stays 10.0 (the platform wants float values to carry a decimal place).
    /// </summary>
    public static class JsonValueWriter
    {
        /// <summary>Writes one value.</summary>
        /// <exception cref="ArgumentException">A value of another type, NaN or infinity.</exception>
        public static void Write(JsonWriter writer, object value)
        {
            if (value == null)
            {
                writer.Null();
            }
            else if (value is string)
            {
                writer.String((string)value);
            }
            else if (value is bool)
            {
                writer.Bool((bool)value);
            }
            else if (value is int)
            {
                writer.Long((int)value);
            }
            else if (value is long)
            {
                writer.Long((long)value);
            }
            else if (value is double)
            {
                WriteDouble(writer, (double)value);
            }
            else if (value is float)
            {
                WriteDouble(writer, (float)value);
            }
            else if (value is Hashtable)
            {
                Hashtable table = (Hashtable)value;
                writer.BeginObject();
                string[] keys = SortedKeys(table);
                for (int i = 0; i < keys.Length; i++)
                {
                    writer.Name(keys[i]);
                    Write(writer, table[keys[i]]);
                }

                writer.EndObject();
            }
            else if (value is ArrayList)
            {
                ArrayList list = (ArrayList)value;
                writer.BeginArray();
                for (int i = 0; i < list.Count; i++)
                {
                    Write(writer, list[i]);
                }

                writer.EndArray();
            }
            else
            {
                throw new ArgumentException("unsupported value type " + value.GetType().Name + " (string, bool, int, long, double, Hashtable, ArrayList or null)");
            }
        }

        /// <summary>The string keys of <paramref name="table"/> in ordinal order (other keys are skipped).</summary>
        public static string[] SortedKeys(Hashtable table)
        {
            ArrayList names = new ArrayList();
            foreach (object key in table.Keys)
            {
                string name = key as string;
                if (name != null)
                {
                    names.Add(name);
                }
            }

            string[] sorted = new string[names.Count];
            for (int i = 0; i < sorted.Length; i++)
            {
                string name = (string)names[i];
                int j = i;
                while (j > 0 && OrdinalCompare(sorted[j - 1], name) > 0)
                {
                    sorted[j] = sorted[j - 1];
                    j--;
                }

                sorted[j] = name;
            }

            return sorted;
        }

        private static int OrdinalCompare(string a, string b)
        {
            int length = a.Length < b.Length ? a.Length : b.Length;
            for (int i = 0; i < length; i++)
            {
                if (a[i] != b[i])
                {
                    return a[i] - b[i];
                }
            }

            return a.Length - b.Length;
        }

        // Fewest decimals (0..9) that reproduce the value, so 0.1 stays 0.1 and 10.0 stays 10.0.
        private static void WriteDouble(JsonWriter writer, double value)
        {
            if (value > 1e12 || value < -1e12)
            {
                byte[] text = Encoding.UTF8.GetBytes(value.ToString());
                writer.RawValue(text, 0, text.Length);
                return;
            }

            double scale = 1;
            for (int decimals = 1; decimals <= 9; decimals++)
            {
                scale *= 10;
                double scaled = value * scale;
                double rounded = scaled < 0 ? -Math.Floor(-scaled + 0.5) : Math.Floor(scaled + 0.5);
                if (rounded / scale == value)
                {
                    writer.Double(value, decimals);
                    return;
                }
            }

            writer.Double(value, 9);
        }
    }
}
