using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AliyunIot.Cloud.Traffic
{
    /// <summary>
    /// What the local cloud saw, kept in memory (the last <see cref="MemoryEntries"/>) and appended as JSON lines
    /// to <c>{state}/traffic.log</c> (0600; at <see cref="MaxFileBytes"/> it moves to <c>traffic.log.1</c>, so at
    /// most twice that is kept). The file is the cloud's, not the broker's: it survives the broker restarting and
    /// the cloud stopping. Payloads are stored with secret fields masked and cut at <see cref="MaxPayloadChars"/>.
    /// Thread-safe; the file is written by its own thread, so no lock is held across I/O.
    /// </summary>
    public sealed partial class TrafficLog : IDisposable
    {
        /// <summary>Entries kept in memory for the console and <c>cloud watch</c>.</summary>
        public const int MemoryEntries = 2000;

        /// <summary>Size at which the log file is rotated.</summary>
        public const long MaxFileBytes = 4 * 1024 * 1024;

        /// <summary>Longest payload text stored.</summary>
        public const int MaxPayloadChars = 2048;

        /// <summary>File name in the state folder.</summary>
        public const string FileName = "traffic.log";

        private readonly object _gate = new object();
        private readonly LinkedList<TrafficEntry> _entries = new LinkedList<TrafficEntry>();
        private readonly string _path;
        private readonly System.Collections.Concurrent.BlockingCollection<TrafficEntry> _toWrite = new System.Collections.Concurrent.BlockingCollection<TrafficEntry>(10000);
        private readonly Thread _writer;
        private FileStream _file;
        private long _sequence;

        /// <summary>Opens (appends to) the log in <paramref name="stateDirectory"/>; null keeps it in memory only.</summary>
        public TrafficLog(string stateDirectory)
        {
            if (stateDirectory != null)
            {
                _path = Path.Combine(stateDirectory, FileName);
                _file = Open(_path);
                _writer = new Thread(Write) { IsBackground = true, Name = "cloud-traffic-log" };
                _writer.Start();
            }
        }

        /// <summary>Raised after an entry is recorded (on the recording thread; do not block).</summary>
        public event Action<TrafficEntry> Recorded;

        /// <summary>Path of the log file, or null.</summary>
        public string FilePath => _path;

        /// <summary>Records one entry (the payload is masked and cut here).</summary>
        public TrafficEntry Record(string kind, string productKey, string deviceName, string topic = null, byte[] payload = null, string detail = null)
        {
            TrafficEntry entry;
            lock (_gate)
            {
                entry = new TrafficEntry
                {
                    Sequence = ++_sequence,
                    TimeUtc = DateTime.UtcNow,
                    Kind = kind,
                    ProductKey = productKey,
                    DeviceName = deviceName,
                    Topic = topic,
                    Size = payload?.Length ?? 0,
                    Payload = payload == null ? null : Mask(payload),
                    Detail = detail,
                };
                _entries.AddLast(entry);
                if (_entries.Count > MemoryEntries)
                {
                    _entries.RemoveFirst();
                }

            }

            // Dropped when the writer is far behind (a flood): the memory copy still has it.
            if (_writer != null)
            {
                try
                {
                    _toWrite.TryAdd(entry);
                }
                catch (InvalidOperationException)
                {
                    // Disposed meanwhile.
                }
            }

            Recorded?.Invoke(entry);
            return entry;
        }

        /// <summary>Entries after <paramref name="afterSequence"/>, oldest first, filtered, at most <paramref name="max"/> (the newest ones).</summary>
        /// <param name="afterSequence">Only entries with a larger sequence number.</param>
        /// <param name="deviceName">Only this device's entries, or null.</param>
        /// <param name="topicContains">Only entries whose topic contains this text, or null.</param>
        /// <param name="max">Largest number returned.</param>
        public IReadOnlyList<TrafficEntry> Since(long afterSequence, string deviceName = null, string topicContains = null, int max = 500)
        {
            lock (_gate)
            {
                var found = _entries.Where(e => e.Sequence > afterSequence
                    && (deviceName == null || e.DeviceName == deviceName)
                    && (topicContains == null || (e.Topic != null && e.Topic.Contains(topicContains, StringComparison.Ordinal)))).ToList();
                return found.Count > max ? found.GetRange(found.Count - max, max) : found;
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _toWrite.CompleteAdding();
            _writer?.Join(2000);
            _file?.Dispose();
            _file = null;
        }

        /// <summary>The payload as text with the values of secret fields replaced by <c>***</c>.</summary>
        public static string Mask(byte[] payload)
        {
            string text = Encoding.UTF8.GetString(payload, 0, Math.Min(payload.Length, MaxPayloadChars * 4));
            text = SecretField().Replace(text, m => m.Groups[1].Value + "\"***\"");
            return text.Length > MaxPayloadChars ? text.Substring(0, MaxPayloadChars) + "…" : text;
        }

        [GeneratedRegex("(\"(?:deviceSecret|productSecret|deviceToken|password|secret)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"", RegexOptions.IgnoreCase)]
        private static partial Regex SecretField();

        private static FileStream Open(string path)
        {
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            return new FileStream(path, options);
        }

        private void Write()
        {
            foreach (TrafficEntry entry in _toWrite.GetConsumingEnumerable())
            {
                Append(entry);
            }
        }

        private void Append(TrafficEntry entry)
        {
            try
            {
                byte[] line = Encoding.UTF8.GetBytes(entry.ToJson().ToJsonString() + "\n");
                if (_file.Length + line.Length > MaxFileBytes)
                {
                    _file.Dispose();
                    File.Move(_path, _path + ".1", overwrite: true);
                    _file = Open(_path);
                }

                _file.Write(line);
                _file.Flush();
            }
            catch (IOException)
            {
                // A full disk must not stop the cloud; the memory copy still serves watchers.
            }
        }
    }
}
