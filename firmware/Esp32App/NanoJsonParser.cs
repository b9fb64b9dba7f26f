using System;
using System.Collections;
using AliyunIot.Ports;
using nanoFramework.Json;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// <see cref="IJsonParser"/> over nanoFramework.Json: objects become <see cref="Hashtable"/>, arrays
    /// <see cref="ArrayList"/>. nanoFramework.Json also produces <c>ulong</c> (and may produce other integral or
    /// <c>float</c> boxes) where the port promises only int, long and double, so the tree is normalised after
    /// parsing; the core's documents are small (the core's JSON guard bounds size and depth before this runs).
    /// </summary>
    public sealed class NanoJsonParser : IJsonParser
    {
        /// <inheritdoc />
        public object Parse(string json)
        {
            if (json == null)
            {
                throw new ArgumentNullException("json");
            }

            int first = FirstSignificant(json);
            if (first < 0)
            {
                throw new ArgumentException("Empty JSON text.");
            }

            char c = json[first];
            object root;
            if (c == '{')
            {
                root = JsonConvert.DeserializeObject(json, typeof(Hashtable));
            }
            else if (c == '[')
            {
                // typeof(Hashtable) does not accept a root array; typeof(ArrayList) does (notes §A.3).
                root = JsonConvert.DeserializeObject(json, typeof(ArrayList));
            }
            else
            {
                // The platform never sends a bare scalar document; treat it as malformed.
                throw new ArgumentException("The JSON root must be an object or an array.");
            }

            if (root == null)
            {
                throw new ArgumentException("The JSON text could not be parsed.");
            }

            return Normalize(root);
        }

        private static int FirstSignificant(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\uFEFF')
                {
                    return i;
                }
            }

            return -1;
        }

        private static object Normalize(object value)
        {
            Hashtable table = value as Hashtable;
            if (table != null)
            {
                // Collect keys first: a Hashtable must not change while it is being enumerated.
                ArrayList keys = new ArrayList();
                foreach (object key in table.Keys)
                {
                    keys.Add(key);
                }

                for (int i = 0; i < keys.Count; i++)
                {
                    object key = keys[i];
                    table[key] = Normalize(table[key]);
                }

                return table;
            }

            ArrayList list = value as ArrayList;
            if (list != null)
            {
                for (int i = 0; i < list.Count; i++)
                {
                    list[i] = Normalize(list[i]);
                }

                return list;
            }

            if (value is ulong)
            {
                ulong big = (ulong)value;
                if (big <= long.MaxValue)
                {
                    return (long)big;
                }

                return (double)big;
            }

            if (value is uint)
            {
                return (long)(uint)value;
            }

            if (value is short)
            {
                return (int)(short)value;
            }

            if (value is ushort)
            {
                return (int)(ushort)value;
            }

            if (value is byte)
            {
                return (int)(byte)value;
            }

            if (value is sbyte)
            {
                return (int)(sbyte)value;
            }

            if (value is float)
            {
                return (double)(float)value;
            }

            return value;
        }
    }
}
