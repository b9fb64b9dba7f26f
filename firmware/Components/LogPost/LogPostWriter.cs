using System;
using AliyunIot.Alink;
using AliyunIot.Json;

namespace AliyunIot.LogPost
{
    /// <summary>
    /// Writes <c>thing.log.post</c> in the byte order Link SDK 4.x's aiot_logpost_send uses for each line
    /// (<c>components/logpost/aiot_logpost_api.c</c>), with the method the platform's documentation shows:
    /// <c>{"id":"9","version":"1.0","params":[{"utcTime":"2026-12-03T01:02:03.004+0000","logLevel":"WARN",
    /// "module":"ota","code":"","traceContext":"","logContent":"…"}],"method":"thing.log.post"}</c>.
    /// utcTime is <c>yyyy-MM-dd'T'HH:mm:ss.SSSZ</c> as the documentation asks (UTC, so the zone is +0000).
    /// </summary>
    internal static class LogPostWriter
    {
        /// <summary>Bytes of one line's JSON besides module and content (keys, time, level, separators).</summary>
        public const int LineOverhead = 120;

        /// <summary>Bytes of the envelope around the params array.</summary>
        public const int EnvelopeOverhead = 80;

        /// <summary>Upper bound of the bytes <paramref name="text"/> takes as a JSON string body (UTF-8, escapes).</summary>
        public static int JsonSize(string text)
        {
            int size = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '"' || c == '\\')
                {
                    size += 2;
                }
                else if (c < ' ')
                {
                    size += 6;
                }
                else if (c < 0x80)
                {
                    size += 1;
                }
                else if (c < 0x800)
                {
                    size += 2;
                }
                else
                {
                    size += 3;
                }
            }

            return size;
        }

        /// <summary>Writes one line object.</summary>
        public static void Line(JsonWriter json, long utcTicks, string level, string module, string content)
        {
            json.BeginObject();
            json.Property("utcTime", UtcText(utcTicks));
            json.Property("logLevel", level);
            json.Property("module", module);
            json.Property("code", string.Empty);
            json.Property("traceContext", string.Empty);
            json.Property("logContent", content);
            json.EndObject();
        }

        /// <summary><c>2026-12-03T01:02:03.004+0000</c> for a UTC time in ticks.</summary>
        public static string UtcText(long utcTicks)
        {
            DateTime t = new DateTime(utcTicks);
            char[] c = new char[28];
            Digits(c, 0, t.Year, 4);
            c[4] = '-';
            Digits(c, 5, t.Month, 2);
            c[7] = '-';
            Digits(c, 8, t.Day, 2);
            c[10] = 'T';
            Digits(c, 11, t.Hour, 2);
            c[13] = ':';
            Digits(c, 14, t.Minute, 2);
            c[16] = ':';
            Digits(c, 17, t.Second, 2);
            c[19] = '.';
            Digits(c, 20, t.Millisecond, 3);
            c[23] = '+';
            c[24] = '0';
            c[25] = '0';
            c[26] = '0';
            c[27] = '0';
            return new string(c);
        }

        private static void Digits(char[] c, int at, int value, int width)
        {
            for (int i = width - 1; i >= 0; i--)
            {
                c[at + i] = (char)('0' + (value % 10));
                value /= 10;
            }
        }
    }
}
