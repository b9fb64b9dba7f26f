using System;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using AliyunIot.Ports;
using AliyunIot.Time;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// Device <see cref="ISecureConnectionOpener"/>: Dns.GetHostEntry, a TCP Socket, SslStream over it with TLS 1.2
    /// and <see cref="SslVerification.CertificateRequired"/> against the given CA. Lets the core's HTTP client
    /// (AliyunIot.Http) replace nanoFramework.System.Net.Http, whose runtime tables cost ~5 KB of managed heap for
    /// the two requests the device makes (issue 12).
    /// </summary>
    /// <remarks>
    /// Read semantics, from nanoFramework System.Net 1.11 (SslStream.Read → SslNative.SecureRead) and nf-interpreter
    /// (sys_net_native_System_Net_Security_SslNative.cpp, ReadWriteHelper; PAL/COM/sockets/ssl/MbedTLS/
    /// ssl_read_internal.cpp): a read waits up to the socket's ReceiveTimeout for data, returns as soon as any byte
    /// arrived, returns 0 only when mbedtls_ssl_read reported the peer's close (close_notify or 0), and on timeout
    /// throws a SocketException with error code SOCK_ETIMEDOUT (10060, SocketError.TimedOut). So 0 is the end of the
    /// stream here — unlike the response stream of System.Net.Http, whose wrapper returns 0 for "nothing yet". Any
    /// other mbedTLS failure of a read or write (a reset included) is a SocketException with code -1
    /// (SOCK_SOCKET_ERROR); a failed handshake carries the negative mbedTLS code. Limits: Socket.Connect and the handshake
    /// (SecureConnect waits with an infinite timeout) are bounded only by lwIP and mbedTLS, exactly as they were under
    /// HttpWebRequest and are under M2Mqtt, so <c>connectTimeoutMs</c> bounds the handshake's socket reads only.
    /// </remarks>
    public sealed class SslSocketOpener : ISecureConnectionOpener
    {
        /// <inheritdoc />
        public ISecureConnection Open(string host, int port, string caCertificatesPem, int connectTimeoutMs, int readTimeoutMs)
        {
            if (caCertificatesPem == null || caCertificatesPem.Length == 0)
            {
                // Without a CA, CertificateRequired has nothing to verify against: refuse rather than trust anything.
                throw new ArgumentException("no CA certificates", "caCertificatesPem");
            }

            IPHostEntry entry = Dns.GetHostEntry(host);
            IPAddress[] addresses = entry.AddressList;
            if (addresses == null || addresses.Length == 0)
            {
                throw new SocketException(SocketError.HostNotFound);
            }

            Socket socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            SslStream tls = null;
            try
            {
                socket.SendTimeout = connectTimeoutMs;
                socket.ReceiveTimeout = connectTimeoutMs;
                socket.Connect(new IPEndPoint(addresses[0], port));
                tls = new SslStream(socket);
                tls.SslVerification = SslVerification.CertificateRequired;
                tls.AuthenticateAsClient(host, null, new X509Certificate(caCertificatesPem), SslProtocols.Tls12);

                // SslStream.Read passes the socket's ReceiveTimeout to SecureRead: this is the read timeout.
                socket.ReceiveTimeout = readTimeoutMs;
                socket.SendTimeout = readTimeoutMs;
                return new SslConnection(socket, tls);
            }
            catch (Exception)
            {
                SslConnection.Close(socket, tls);
                throw;
            }
        }

        /// <inheritdoc />
        public string Describe(Exception failure)
        {
            SocketException socketError = failure as SocketException;
            if (socketError == null)
            {
                if (failure is ArgumentException)
                {
                    return "CA certificates unusable";
                }

                return failure.GetType().Name;
            }

            int code = socketError.ErrorCode;
            if (code == -1)
            {
                // SOCK_SOCKET_ERROR: mbedTLS failed a read or write (reset, broken record); no code survives.
                return "connection failed (TLS read/write error)";
            }

            if (code < 0)
            {
                string detail = "TLS failure (mbedTLS error -0x" + (-code).ToString("X4") + ")";
                if (!TimeValidity.IsPlausibleForTls(DateTime.UtcNow))
                {
                    detail += "; the clock is not set, so no certificate can be validated";
                }

                return detail;
            }

            // Enums print as numbers on nanoFramework: name the errors a download meets.
            if (code == (int)SocketError.TimedOut)
            {
                return "timed out";
            }

            if (code == (int)SocketError.ConnectionReset || code == (int)SocketError.ConnectionAborted)
            {
                return "connection reset";
            }

            if (code == (int)SocketError.ConnectionRefused)
            {
                return "connection refused";
            }

            if (code == (int)SocketError.HostNotFound || code == (int)SocketError.TryAgain || code == (int)SocketError.NoData)
            {
                return "name resolution failure";
            }

            return "socket error " + code.ToString();
        }
    }
}
