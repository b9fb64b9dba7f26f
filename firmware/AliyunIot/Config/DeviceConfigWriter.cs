using System;
using System.Collections;
using System.Text;
using AliyunIot.Json;

namespace AliyunIot.Config
{
    /// <summary>
    /// Writes a device.json document back as indented JSON, for persisting what dynamic registration obtained.
    /// Known fields come first in the schema's order, then every other field (sorted), so unknown sections and
    /// the <c>sensors</c>/<c>ota</c> sections survive the rewrite unchanged.
    /// </summary>
    public static class DeviceConfigWriter
    {
        private const int MaxBytes = 131072;

        /// <summary>
        /// The document of <paramref name="config"/> with <c>deviceSecret</c> set and <c>productSecret</c>/<c>registration</c>
        /// removed: the registered device then has exactly one credential and never registers again.
        /// </summary>
        public static string WithDeviceSecret(DeviceConfig config, string deviceSecret)
        {
            if (deviceSecret == null || deviceSecret.Length == 0)
            {
                throw new ArgumentException("deviceSecret is required");
            }

            Hashtable copy = CopyRoot(config);
            copy.Remove("productSecret");
            copy.Remove("registration");
            copy.Remove("deviceToken");
            copy["deviceSecret"] = deviceSecret;
            return Write(copy);
        }

        /// <summary>
        /// The document of <paramref name="config"/> with the no-pre-registration result: <c>clientId</c> and
        /// <c>deviceToken</c> set, <c>productSecret</c>/<c>registration</c> removed.
        /// </summary>
        public static string WithDeviceToken(DeviceConfig config, string clientId, string deviceToken)
        {
            if (clientId == null || clientId.Length == 0 || deviceToken == null || deviceToken.Length == 0)
            {
                throw new ArgumentException("clientId and deviceToken are required");
            }

            Hashtable copy = CopyRoot(config);
            copy.Remove("productSecret");
            copy.Remove("registration");
            copy.Remove("deviceSecret");
            copy["clientId"] = clientId;
            copy["deviceToken"] = deviceToken;
            return Write(copy);
        }

        /// <summary>Writes a parsed document (Hashtable/ArrayList/string/int/long/double/bool/null) as indented JSON.</summary>
        public static string Write(Hashtable root)
        {
            if (root == null)
            {
                throw new ArgumentNullException("root");
            }

            string[] order = Order();
            JsonWriter writer = new JsonWriter(1024, MaxBytes);
            writer.BeginObject();
            for (int i = 0; i < order.Length; i++)
            {
                if (root.Contains(order[i]))
                {
                    writer.Name(order[i]);
                    JsonValueWriter.Write(writer, root[order[i]]);
                }
            }

            string[] others = SortedKeys(root, order);
            for (int i = 0; i < others.Length; i++)
            {
                writer.Name(others[i]);
                JsonValueWriter.Write(writer, root[others[i]]);
            }

            writer.EndObject();
            return Indent(writer.Buffer, writer.Length);
        }

        private static Hashtable CopyRoot(DeviceConfig config)
        {
            if (config == null || config.Raw == null)
            {
                throw new ArgumentException("config has no parsed document");
            }

            Hashtable copy = new Hashtable();
            foreach (object key in config.Raw.Keys)
            {
                copy[key] = config.Raw[key];
            }

            return copy;
        }

        // The known fields in the schema's order. Built per call, not kept in a static: nanoCLR runs static constructors
        // at boot and keeps what they allocate for the whole run (~530 B), while this is needed only when the device
        // rewrites device.json after registration (docs/board.md, "Update tiers per profile").
        private static string[] Order()
        {
            return new string[]
            {
                "productKey", "deviceName", "deviceSecret", "deviceToken", "productSecret", "registration", "registrationUrl",
                "endpoint", "secureMode", "allowPlainTcp", "signMethod", "clientId", "keepAliveSeconds", "mqttVersion",
                "cleanSession", "wifi", "caCertificates", "caCertificatesFile", "limits", "sensors", "ota",
            };
        }

        // The keys of table that are not in order, sorted.
        private static string[] SortedKeys(Hashtable table, string[] order)
        {
            string[] all = JsonValueWriter.SortedKeys(table);
            int count = 0;
            for (int i = 0; i < all.Length; i++)
            {
                if (!Contains(order, all[i]))
                {
                    all[count++] = all[i];
                }
            }

            string[] others = new string[count];
            Array.Copy(all, others, count);
            return others;
        }

        private static bool Contains(string[] names, string name)
        {
            for (int i = 0; i < names.Length; i++)
            {
                if (names[i] == name)
                {
                    return true;
                }
            }

            return false;
        }

        // Adds newlines and two-space indentation to compact JSON (outside strings only), so the file stays
        // pleasant to edit by hand after the device rewrote it. Empty objects and arrays stay on one line.
        private static string Indent(byte[] json, int length)
        {
            StringBuilder text = new StringBuilder(length + (length / 2));
            string compact = Encoding.UTF8.GetString(json, 0, length);
            int depth = 0;
            bool inString = false;
            for (int i = 0; i < compact.Length; i++)
            {
                char c = compact[i];
                if (inString)
                {
                    text.Append(c);
                    if (c == '\\')
                    {
                        text.Append(compact[++i]);
                    }
                    else if (c == '"')
                    {
                        inString = false;
                    }

                    continue;
                }

                switch (c)
                {
                    case '"':
                        inString = true;
                        text.Append(c);
                        break;
                    case '{':
                    case '[':
                        text.Append(c);
                        char next = compact[i + 1];
                        if (next == '}' || next == ']')
                        {
                            text.Append(next);
                            i++;
                        }
                        else
                        {
                            depth++;
                            NewLine(text, depth);
                        }

                        break;
                    case '}':
                    case ']':
                        depth--;
                        NewLine(text, depth);
                        text.Append(c);
                        break;
                    case ',':
                        text.Append(c);
                        NewLine(text, depth);
                        break;
                    case ':':
                        text.Append(": ");
                        break;
                    default:
                        text.Append(c);
                        break;
                }
            }

            text.Append('\n');
            return text.ToString();
        }

        private static void NewLine(StringBuilder text, int depth)
        {
            text.Append('\n');
            text.Append(' ', depth * 2);
        }
    }
}
