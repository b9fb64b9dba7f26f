using AliyunIot.Connection;

namespace AliyunIot.NFUnitTest
{
    /// <summary>A <see cref="DeliveryHandler"/> that records "token:outcome:code" for each call, joined with ';'.</summary>
    internal sealed class DeliveryRecorder
    {
        private readonly object _gate = new object();
        private string _seen = "";

        /// <summary>What was delivered so far.</summary>
        public string Seen
        {
            get { lock (_gate) { return _seen; } }
        }

        /// <summary>The handler.</summary>
        public void Record(object token, DeliveryOutcome outcome, int reasonCode)
        {
            lock (_gate)
            {
                _seen = (_seen.Length == 0 ? "" : _seen + ";") + (string)token + ":" + Name(outcome) + ":" + reasonCode.ToString();
            }
        }

        // Enum names are spelled out: ToString of an enum is a number on the nanoCLR.
        private static string Name(DeliveryOutcome outcome)
        {
            switch (outcome)
            {
                case DeliveryOutcome.Acknowledged:
                    return "Acknowledged";
                case DeliveryOutcome.Refused:
                    return "Refused";
                case DeliveryOutcome.Dropped:
                    return "Dropped";
                default:
                    return "Other";
            }
        }
    }
}
