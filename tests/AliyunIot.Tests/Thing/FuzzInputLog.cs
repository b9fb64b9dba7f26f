namespace AliyunIot.Tests.Thing
{
    /// <summary>Keeps the messages logged for one input (references only: no allocation).</summary>
    internal sealed class FuzzInputLog : AliyunIot.Ports.ILog
    {
        private readonly string[] _messages = new string[64];
        private int _count;

        public void Clear() => _count = 0;

        public void Write(AliyunIot.Ports.LogLevel level, string source, string message)
        {
            if (_count < _messages.Length)
            {
                _messages[_count++] = message;
            }
        }

        public bool Contains(string prefix) => Find(prefix) != null;

        public string Find(string prefix) => _messages.Take(_count).FirstOrDefault(m => m.StartsWith(prefix, StringComparison.Ordinal));
    }
}
