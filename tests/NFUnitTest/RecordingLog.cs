using System.Collections;
using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>An <see cref="ILog"/> that keeps "level source: message" lines for the test to look at.</summary>
    internal sealed class RecordingLog : ILog
    {
        private readonly object _gate = new object();
        private readonly ArrayList _lines = new ArrayList();

        /// <inheritdoc />
        public void Write(LogLevel level, string source, string message)
        {
            lock (_gate)
            {
                _lines.Add(((int)level).ToString() + " " + source + ": " + message);
            }
        }

        /// <summary>Lines so far.</summary>
        public int Count
        {
            get { lock (_gate) { return _lines.Count; } }
        }

        /// <summary>How many lines contain <paramref name="text"/> (ordinal).</summary>
        public int CountContaining(string text)
        {
            int n = 0;
            lock (_gate)
            {
                for (int i = 0; i < _lines.Count; i++)
                {
                    if (((string)_lines[i]).Contains(text))
                    {
                        n++;
                    }
                }
            }

            return n;
        }

        /// <summary>True when some line contains <paramref name="text"/>.</summary>
        public bool Contains(string text)
        {
            return CountContaining(text) > 0;
        }

        /// <summary>All lines, one per row (for failure messages and secret checks).</summary>
        public string All()
        {
            lock (_gate)
            {
                System.Text.StringBuilder sb = new System.Text.StringBuilder();
                for (int i = 0; i < _lines.Count; i++)
                {
                    sb.Append((string)_lines[i]);
                    sb.Append('\n');
                }

                return sb.ToString();
            }
        }
    }
}
