using System.Collections;
using System.Threading;
using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// Hands out <see cref="ScriptedTransport"/>s: each connect attempt takes the next scripted CONNACK outcome; when
    /// the script is used up, attempts hang until closed (so a test can look at the supervisor between attempts
    /// without racing it) unless <see cref="AcceptAfterScript"/> is set. Signals every attempt.
    /// </summary>
    internal sealed class ScriptedTransportFactory : IMqttTransportFactory
    {
        private readonly object _gate = new object();
        private readonly ArrayList _script = new ArrayList();
        private readonly ArrayList _created = new ArrayList();

        /// <summary>Attempts after the script connect (true) or hang until closed (false).</summary>
        public bool AcceptAfterScript;

        /// <summary>Acknowledge QoS 1 publishes at once on every transport.</summary>
        public bool AutoAck = true;

        /// <summary>Set when a transport is created (one connect attempt).</summary>
        public readonly AutoResetEvent AttemptSignal = new AutoResetEvent(false);

        /// <summary>Appends one CONNACK outcome to the script.</summary>
        public void Script(MqttConnectResult result)
        {
            lock (_gate)
            {
                _script.Add(result);
            }
        }

        /// <summary>Transports created so far.</summary>
        public int Count
        {
            get { lock (_gate) { return _created.Count; } }
        }

        /// <summary>The transport of attempt <paramref name="index"/> (0-based).</summary>
        public ScriptedTransport Get(int index)
        {
            lock (_gate)
            {
                return (ScriptedTransport)_created[index];
            }
        }

        /// <inheritdoc />
        public IMqttTransport Create()
        {
            ScriptedTransport t;
            lock (_gate)
            {
                if (_script.Count > 0)
                {
                    t = new ScriptedTransport((MqttConnectResult)_script[0]);
                    _script.RemoveAt(0);
                }
                else
                {
                    t = new ScriptedTransport(new MqttConnectResult(MqttConnectOutcome.Accepted, 0, "accepted"));
                    t.Hang = !AcceptAfterScript;
                }

                t.AutoAck = AutoAck;
                _created.Add(t);
            }

            AttemptSignal.Set();
            return t;
        }

        /// <summary>Waits until attempt number <paramref name="count"/> (1-based) has begun; false after 10 s.</summary>
        public bool WaitForAttempt(int count)
        {
            for (int i = 0; i < 100; i++)
            {
                if (Count >= count)
                {
                    return true;
                }

                AttemptSignal.WaitOne(100, false);
            }

            return Count >= count;
        }
    }
}
