using System.Collections.Concurrent;
using System.Net.Sockets;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;

namespace AliyunIot.Tests.M2Mqtt
{
    /// <summary>How the scripted broker answers a QoS 1 PUBLISH it receives.</summary>
    public enum PubackMode
    {
        /// <summary>Record it and send the PUBACK at once.</summary>
        Ack,

        /// <summary>Record it, keep the PUBACK "in flight" until <see cref="ScriptedBroker.ReleaseAcks"/> (or lose it on a kill).</summary>
        Hold,
    }

    /// <summary>
    /// The network, DNS name and broker behind the scripted <see cref="MqttClient"/>: a test decides every fault at
    /// the moment it wants it (TCP refused, a TLS failure code, a CONNACK refusal, a PUBLISH lost on the way, a
    /// PUBACK in flight when the broker dies, a broker that stops answering) and advances M2Mqtt's retry clock by
    /// hand. It records every PUBLISH that reached it, in arrival order, duplicates included.
    /// </summary>
    public sealed class ScriptedBroker : IDisposable
    {
        private static readonly ConcurrentDictionary<string, ScriptedBroker> Dns = new ConcurrentDictionary<string, ScriptedBroker>(StringComparer.OrdinalIgnoreCase);
        private static int _instances;

        private readonly object _gate = new object();
        private readonly List<MqttClient> _connected = new List<MqttClient>();
        private readonly List<(MqttClient Client, ushort Id)> _heldAcks = new List<(MqttClient, ushort)>();
        private readonly List<ReceivedPublish> _received = new List<ReceivedPublish>();
        private bool _up = true;
        private long _now;
        private int _passBeforeCut = -1;
        private int _accepted;

        public ScriptedBroker()
        {
            HostName = "broker-" + Interlocked.Increment(ref _instances) + ".scripted.test";
            Dns[HostName] = this;
        }

        /// <summary>The DNS name that resolves to this broker (only in MqttClient's constructor, as on the device).</summary>
        public string HostName { get; }

        /// <summary>The password the broker accepts; null accepts any. A wrong one is refused with 4 (3.1.1) or 0x86 (5).</summary>
        public string Password { get; set; }

        /// <summary>A CONNACK code to answer every CONNECT with (0 = accept).</summary>
        public MqttReasonCode ConnackCode { get; set; } = MqttReasonCode.Success;

        /// <summary>True (the platform's behaviour): the broker closes the socket right after a refused CONNACK.</summary>
        public bool CloseAfterRefusal { get; set; } = true;

        /// <summary>Non-zero: the TLS handshake fails with this (negative, mbedTLS) code.</summary>
        public int TlsErrorCode { get; set; }

        /// <summary>How a received QoS 1 PUBLISH is answered.</summary>
        public PubackMode Mode { get; set; } = PubackMode.Ack;

        /// <summary>The scripted clock M2Mqtt's retries run on (ms).</summary>
        public long Now { get { lock (_gate) { return _now; } } }

        /// <summary>Accepted CONNECTs so far.</summary>
        public int Connections { get { lock (_gate) { return _accepted; } } }

        /// <summary>Clients connected right now.</summary>
        public int ConnectedClients { get { lock (_gate) { return _connected.Count; } } }

        /// <summary>PUBACKs held back (Hold mode).</summary>
        public int HeldAcks { get { lock (_gate) { return _heldAcks.Count; } } }

        public bool IsUp { get { lock (_gate) { return _up; } } }

        /// <summary>Every PUBLISH that reached the broker, in arrival order.</summary>
        public ReceivedPublish[] Received { get { lock (_gate) { return _received.ToArray(); } } }

        internal static ScriptedBroker Resolve(string host) => Dns.TryGetValue(host, out var b) ? b : null;

        /// <summary>
        /// The connection dies mid-stream: the next <paramref name="packets"/> PUBLISH packets still arrive, every one
        /// after them is lost on the way (as on a TCP connection cut at that byte), until <see cref="Kill"/>.
        /// </summary>
        public void CutAfter(int packets)
        {
            lock (_gate)
            {
                _passBeforeCut = packets;
            }
        }

        /// <summary>Advances M2Mqtt's clock: every connected client applies its retry rule.</summary>
        public void Advance(int ms)
        {
            MqttClient[] clients;
            long now;
            lock (_gate)
            {
                _now += ms;
                now = _now;
                clients = _connected.ToArray();
            }

            foreach (var c in clients)
            {
                c.Tick(now);
            }
        }

        /// <summary>Sends the PUBACKs held back so far.</summary>
        public void ReleaseAcks()
        {
            (MqttClient Client, ushort Id)[] held;
            lock (_gate)
            {
                held = _heldAcks.ToArray();
                _heldAcks.Clear();
            }

            foreach (var h in held)
            {
                h.Client.OnPuback(h.Id);
            }
        }

        /// <summary>The broker process dies: every connection closes, PUBACKs in flight are lost, new TCP connects are refused.</summary>
        public void Kill()
        {
            MqttClient[] clients;
            lock (_gate)
            {
                _up = false;
                _heldAcks.Clear();
                _passBeforeCut = -1;
                clients = _connected.ToArray();
                _connected.Clear();
            }

            foreach (var c in clients)
            {
                c.OnBrokerClosed();
            }
        }

        /// <summary>The broker accepts connections again.</summary>
        public void Start()
        {
            lock (_gate)
            {
                _up = true;
            }
        }

        /// <summary>The server sends DISCONNECT to every client (e.g. a kick) and closes.</summary>
        public void DisconnectAll(MqttReasonCode reason)
        {
            MqttClient[] clients;
            lock (_gate)
            {
                clients = _connected.ToArray();
                _connected.Clear();
            }

            foreach (var c in clients)
            {
                c.OnBrokerDisconnect(reason);
            }
        }

        public void Dispose() => Dns.TryRemove(HostName, out _);

        internal MqttReasonCode Open(MqttClient client, bool secure, string clientId, string username, string password, bool mqtt5)
        {
            lock (_gate)
            {
                if (!_up)
                {
                    throw new SocketException((int)SocketError.ConnectionRefused);
                }

                if (secure && TlsErrorCode != 0)
                {
                    // SslStream.AuthenticateAsClient on nanoFramework: SocketException carrying the mbedTLS code.
                    throw new SocketException(TlsErrorCode);
                }

                MqttReasonCode code = ConnackCode;
                if (code == MqttReasonCode.Success && Password != null && password != Password)
                {
                    code = mqtt5 ? MqttReasonCode.BadUserNameOrPassword : MqttReasonCode.ConnectionRefusedBadUserNameOrPassword;
                }

                if (code == MqttReasonCode.Success)
                {
                    _connected.Add(client);
                    _accepted++;
                }

                return code;
            }
        }

        internal void Detach(MqttClient client)
        {
            lock (_gate)
            {
                _connected.Remove(client);
                _heldAcks.RemoveAll(h => h.Client == client);
            }
        }

        internal void Receive(MqttClient client, ushort id, string topic, byte[] payload, int qos, bool dup)
        {
            bool ack = false;
            lock (_gate)
            {
                if (!_up || !_connected.Contains(client))
                {
                    return; // the socket is gone: the bytes go nowhere
                }

                if (_passBeforeCut == 0)
                {
                    return; // cut: lost on the way, no PUBACK
                }

                if (_passBeforeCut > 0)
                {
                    _passBeforeCut--;
                }

                _received.Add(new ReceivedPublish(topic, payload, dup));
                if (qos > 0)
                {
                    if (Mode == PubackMode.Ack)
                    {
                        ack = true;
                    }
                    else
                    {
                        _heldAcks.Add((client, id));
                    }
                }
            }

            if (ack)
            {
                client.OnPuback(id);
            }
        }
    }

    /// <summary>One PUBLISH as the broker received it.</summary>
    public sealed record ReceivedPublish(string Topic, byte[] Payload, bool Dup)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Payload);
    }
}
