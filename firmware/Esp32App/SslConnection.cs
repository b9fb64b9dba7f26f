using System;
using System.Net.Security;
using System.Net.Sockets;
using AliyunIot.Ports;

namespace AliyunIot.Esp32
{
    /// <summary>An open TLS connection of <see cref="SslSocketOpener"/>: SslStream over its socket.</summary>
    internal sealed class SslConnection : ISecureConnection
    {
        private readonly Socket _socket;
        private readonly SslStream _tls;

        public SslConnection(Socket socket, SslStream tls)
        {
            _socket = socket;
            _tls = tls;
        }

        /// <summary>0 only once the server closed; throws SocketException(TimedOut) after the read timeout (see <see cref="SslSocketOpener"/>).</summary>
        public int Read(byte[] buffer, int offset, int count)
        {
            return _tls.Read(buffer, offset, count);
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _tls.Write(buffer, offset, count);
        }

        public void Dispose()
        {
            Close(_socket, _tls);
        }

        /// <summary>Releases the TLS context and the socket; each may already be gone on a broken connection.</summary>
        internal static void Close(Socket socket, SslStream tls)
        {
            if (tls != null)
            {
                try
                {
                    // SslStream.Dispose closes the socket handle and frees the mbedTLS context (~33 KB native heap).
                    tls.Dispose();
                }
                catch (Exception)
                {
                    // Already closed.
                }
            }

            try
            {
                socket.Close();
            }
            catch (Exception)
            {
                // Already closed by the SslStream.
            }
        }
    }
}
