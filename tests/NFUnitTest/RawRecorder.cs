using System;

namespace AliyunIot.NFUnitTest
{
    /// <summary>Raw and message handlers for the dispatcher tests: records "topic:length" and answers fixed bytes (or throws).</summary>
    internal sealed class RawRecorder
    {
        private readonly byte[] _answer;

        /// <summary>Creates a recorder answering <paramref name="answer"/> (null: no reply).</summary>
        public RawRecorder(byte[] answer)
        {
            _answer = answer;
        }

        /// <summary>When true, the handlers throw after recording.</summary>
        public bool Throw;

        /// <summary>Calls recorded, "topic:length" joined with ';'.</summary>
        public string Seen = "";

        /// <summary>A <see cref="AliyunIot.Thing.RawRequestHandler"/>.</summary>
        public byte[] Answer(string topic, byte[] payload)
        {
            Record(topic, payload);
            return _answer;
        }

        /// <summary>A <see cref="AliyunIot.Thing.RawMessageHandler"/>.</summary>
        public void Deliver(string topic, byte[] payload)
        {
            Record(topic, payload);
        }

        private void Record(string topic, byte[] payload)
        {
            Seen = (Seen.Length == 0 ? "" : Seen + ";") + topic + ":" + payload.Length.ToString();
            if (Throw)
            {
                throw new InvalidOperationException("handler failure injected by the test");
            }
        }
    }
}
