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

        /// <summary>
        /// Raised (on the tail's thread) with ProductKey, DeviceName and why a device's connection ended, as mosquitto
        /// logged it: mosquitto 2.0 does not tell its plugin the reason, so it is read here.
        /// </summary>
        public event Action<string, string, string> ConnectionEnded;

        /// <summary>Records one log line if it is a refusal, a denial or the end of a device's connection; returns true if it was.</summary>
        public bool Consider(string line)
        {
            if (ConsiderConnection(line))
            {
                return true;
            }

            int at = line.IndexOf("aliyun_auth: ", StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            string text = line.Substring(at + "aliyun_auth: ".Length);
            Match older = OlderConnection().Match(text);
            if (older.Success)
            {
                // Kicked by a login with the same identity: the plugin's presence says so; its close is not a reason.
                _replaced.Add(older.Groups["id"].Value);
                return false;
            }

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

        [GeneratedRegex("closing its older connection (?<id>.+)$")]
        private static partial Regex OlderConnection();

        [GeneratedRegex(@"New client connected from \S+ as (?<id>.+) \(p\d+, c\d+, k\d+, u'(?<dn>[^&']+)&(?<pk>[^']+)'\)")]
        private static partial Regex ClientConnected();

        /// <summary>mosquitto's lines for a connection's end (mosquitto 2.0 src/loop.c do_disconnect), with the words shown.</summary>
        private static readonly (Regex Line, string Reason)[] Endings =
        {
            (new Regex(@"Client (?<id>.+) disconnected\.$"), "the device disconnected (DISCONNECT)"),
            (new Regex(@"Client (?<id>.+) has exceeded timeout, disconnecting\.$"), "keep-alive timeout: nothing received for 1.5 x the keep-alive"),
            (new Regex(@"Client (?<id>.+) closed its connection\.$"), "connection lost (closed without DISCONNECT)"),
            (new Regex(@"Socket error on client (?<id>.+), disconnecting\.$"), "connection lost (socket error)"),
            (new Regex(@"Client (?<id>.+) disconnected due to protocol error\.$"), "protocol violation"),
            (new Regex(@"Client (?<id>.+) disconnected due to malformed packet\.$"), "protocol violation (malformed packet)"),
            (new Regex(@"Client (?<id>.+) disconnected, not authorised\.$"), "not authorised"),
        };

        private readonly Dictionary<string, (string ProductKey, string DeviceName)> _clients = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        private readonly HashSet<string> _replaced = new HashSet<string>(StringComparer.Ordinal);

        private bool ConsiderConnection(string line)
        {
            Match connected = ClientConnected().Match(line);
            if (connected.Success)
            {
                // (The same ClientIdentifier logging in again closes its older connection without a line of its own.)
                _clients[connected.Groups["id"].Value] = (connected.Groups["pk"].Value, connected.Groups["dn"].Value);
                _replaced.Remove(connected.Groups["id"].Value);
                return false;
            }

            foreach ((Regex pattern, string reason) in Endings)
            {
                Match ended = pattern.Match(line);
                if (!ended.Success)
                {
                    continue;
                }

                string id = ended.Groups["id"].Value;
                if (_replaced.Remove(id) || !_clients.Remove(id, out var device))
                {
                    return false;
                }

                _log.Record(TrafficEntry.Disconnect, device.ProductKey, device.DeviceName, null, null, reason);
                ConnectionEnded?.Invoke(device.ProductKey, device.DeviceName, reason);
                return true;
            }

            return false;
        }

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
