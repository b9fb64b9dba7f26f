using System;
using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// An <see cref="ISecureConnectionOpener"/> handing out one <see cref="ScriptedConnection"/> (or throwing
    /// <see cref="OpenFailure"/>), recording where it was asked to connect.
    /// </summary>
    internal sealed class ScriptedOpener : ISecureConnectionOpener
    {
        private readonly ScriptedConnection _connection;

        public ScriptedOpener(ScriptedConnection connection)
        {
            _connection = connection;
        }

        /// <summary>Thrown by Open when set (a board's TLS or DNS failure).</summary>
        public Exception OpenFailure;

        /// <summary>"host:port" of the last Open.</summary>
        public string Opened;

        /// <summary>Read timeout of the last Open.</summary>
        public int ReadTimeoutMs;

        public ISecureConnection Open(string host, int port, string caCertificatesPem, int connectTimeoutMs, int readTimeoutMs)
        {
            Opened = host + ":" + port.ToString();
            ReadTimeoutMs = readTimeoutMs;
            if (OpenFailure != null)
            {
                throw OpenFailure;
            }

            return _connection;
        }

        public string Describe(Exception failure)
        {
            return "scripted " + failure.Message;
        }
    }
}
