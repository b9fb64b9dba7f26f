using System.Collections;
using System.Text;
using AliyunIot.Config;
using AliyunIot.Json;
using AliyunIot.Ports;

namespace AliyunIot.Provisioning
{
    /// <summary>
    /// Reading what the registration service answers (HTTPS body or MQTT payload) and turning failures into results:
    /// bounded parsing (an answer is small; anything else is refused before it is parsed), the device check and
    /// printable server text.
    /// </summary>
    internal static class RegistrationAnswers
    {
        internal const string LogSource = "provisioning";

        private const int MaxAnswerBytes = 4096;

        /// <summary>The answer as a JSON object, or null when it is missing, too large, too deep or not an object.</summary>
        internal static Hashtable Parse(string text)
        {
            if (text == null)
            {
                return null;
            }

            return Parse(Encoding.UTF8.GetBytes(text));
        }

        /// <summary>The answer as a JSON object, or null when it is missing, too large, too deep or not an object.</summary>
        internal static Hashtable Parse(byte[] payload)
        {
            if (payload == null || JsonGuard.Check(payload, 0, payload.Length, MaxAnswerBytes, 4) != null)
            {
                return null;
            }

            string problem;
            return JsonTree.Parse(payload, 0, payload.Length, 4, out problem) as Hashtable;
        }

        /// <summary>An answer that names a device must name this one (productKey/deviceName are optional in answers).</summary>
        internal static bool NamesThisDevice(Hashtable answer, DeviceConfig config)
        {
            object pk = answer["productKey"];
            object dn = answer["deviceName"];
            return (pk == null || (pk as string) == config.ProductKey) && (dn == null || (dn as string) == config.DeviceName);
        }

        /// <summary>Server messages are shown to the user: at most 120 characters, control characters blanked, in parentheses.</summary>
        internal static string SafeText(string text)
        {
            if (text == null)
            {
                return string.Empty;
            }

            StringBuilder safe = new StringBuilder();
            for (int i = 0; i < text.Length && safe.Length < 120; i++)
            {
                char c = text[i];
                safe.Append(c < ' ' ? ' ' : c);
            }

            return "(" + safe.ToString() + ")";
        }

        /// <summary>Logs <paramref name="detail"/> (it never holds a secret) and returns the failed result.</summary>
        internal static RegistrationResult Fail(ILog log, RegistrationOutcome outcome, int code, string detail)
        {
            log.Write(LogLevel.Warning, LogSource, detail);
            return new RegistrationResult(outcome, null, code, detail);
        }
    }
}
