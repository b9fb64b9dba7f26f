using System.Text;
using System.Text.RegularExpressions;

namespace AliyunIot.Cloud.Traffic
{
    /// <summary>
    /// Follows the broker's log file and records its auth plugin's refusals (logins) and denials (ACL and platform
    /// rules, with the rule that refused) in the <see cref="TrafficLog"/>. Polls every 200 ms from its own thread;
    /// a log that shrank (a new broker process) is read from its start.
    /// </summary>
    public sealed partial class BrokerLogTail : IDisposable
    {
        private readonly string _path;
        private readonly TrafficLog _log;
        private readonly Thread _thread;
        private readonly ManualResetEventSlim _stop = new ManualResetEventSlim(false);
        private readonly StringBuilder _partial = new StringBuilder();
        private long _offset;

        /// <summary>Starts following <paramref name="logPath"/>.</summary>
        public BrokerLogTail(string logPath, TrafficLog log)
        {
            _path = logPath;
            _log = log;
            _thread = new Thread(Run) { IsBackground = true, Name = "cloud-broker-log" };
            _thread.Start();
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _stop.Set();
            _thread.Join(2000);
        }

        /// <summary>Records one log line if it is a refusal or a denial; returns true if it was.</summary>
        public bool Consider(string line)
        {
            int at = line.IndexOf("aliyun_auth: ", StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            string text = line.Substring(at + "aliyun_auth: ".Length);
            bool refused = text.StartsWith("refused ", StringComparison.Ordinal);
            bool denied = text.StartsWith("denied ", StringComparison.Ordinal);
            if (!refused && !denied)
            {
                return false;
            }

            Match device = DeviceIdentity().Match(text);
            string dn = device.Success ? device.Groups["dn"].Value : null;
            string pk = device.Success ? device.Groups["pk"].Value : null;
            string topic = null;
            if (denied)
            {
                // "denied publish|subscribe {topic} to {dn}&{pk}[: rule]"
                string[] words = text.Split(' ', 4);
                topic = words.Length > 2 ? words[2] : null;
            }

            _log.Record(refused ? TrafficEntry.LoginRefused : TrafficEntry.Denied, pk, dn, topic, null, text);
            return true;
        }

        [GeneratedRegex("(?<dn>[A-Za-z0-9_.:@-]+)&(?<pk>[A-Za-z0-9_-]+)")]
        private static partial Regex DeviceIdentity();

        private void Run()
        {
            while (!_stop.Wait(200))
            {
                try
                {
                    ReadNew();
                }
                catch (IOException)
                {
                    // The broker is restarting; try again on the next tick.
                }
            }

            try
            {
                ReadNew();
            }
            catch (IOException)
            {
            }
        }

        private void ReadNew()
        {
            if (!File.Exists(_path))
            {
                return;
            }

            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < _offset)
            {
                _offset = 0;
                _partial.Clear();
            }

            stream.Seek(_offset, SeekOrigin.Begin);
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                _offset += read;
                _partial.Append(Encoding.UTF8.GetString(buffer, 0, read));
                string text = _partial.ToString();
                int end = text.LastIndexOf('\n');
                if (end < 0)
                {
                    continue;
                }

                foreach (string line in text.Substring(0, end).Split('\n'))
                {
                    Consider(line);
                }

                _partial.Clear().Append(text, end + 1, text.Length - end - 1);
            }
        }
    }
}
