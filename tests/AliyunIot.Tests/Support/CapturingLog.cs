using AliyunIot.Ports;
using Xunit;

namespace AliyunIot.Tests.Support
{
    /// <summary>
    /// A log that keeps every line for assertions, and checks that no registered secret ever appears in one.
    /// Register every secret a test uses with <see cref="Secret"/>; <see cref="AssertNoSecrets"/> runs on Dispose too.
    /// </summary>
    public sealed class CapturingLog : ILog, IDisposable
    {
        private readonly List<string> _lines = new List<string>();
        private readonly List<string> _secrets = new List<string>();
        private readonly object _gate = new object();

        /// <summary>Lines written so far, as "LEVEL [source] message".</summary>
        public string[] Lines
        {
            get
            {
                lock (_gate)
                {
                    return _lines.ToArray();
                }
            }
        }

        /// <summary>Registers a secret that must never be logged; returns it for convenience.</summary>
        public string Secret(string secret)
        {
            lock (_gate)
            {
                _secrets.Add(secret);
            }

            return secret;
        }

        /// <inheritdoc />
        public void Write(LogLevel level, string source, string message)
        {
            lock (_gate)
            {
                _lines.Add(level + " [" + source + "] " + message);
            }
        }

        /// <summary>True when some line contains <paramref name="fragment"/>.</summary>
        public bool Contains(string fragment) => Lines.Any(l => l.Contains(fragment, StringComparison.Ordinal));

        /// <summary>Number of lines containing <paramref name="fragment"/>.</summary>
        public int Count(string fragment) => Lines.Count(l => l.Contains(fragment, StringComparison.Ordinal));

        /// <summary>Fails when any line contains a registered secret.</summary>
        public void AssertNoSecrets()
        {
            lock (_gate)
            {
                foreach (string secret in _secrets)
                {
                    foreach (string line in _lines)
                    {
                        SecretAssert.NotIn(secret, line, "the log");
                    }
                }
            }
        }

        /// <inheritdoc />
        public void Dispose() => AssertNoSecrets();
    }
}
