using System;

namespace AliyunIot.Ports
{
    /// <summary>
    /// Opens TLS 1.2 connections whose server certificate must chain to the given CA certificates and match the host
    /// name. Device: Dns + Socket + SslStream; host: TcpClient + SslStream.
    /// </summary>
    public interface ISecureConnectionOpener
    {
        /// <summary>Resolves <paramref name="host"/>, connects and completes the TLS handshake.</summary>
        /// <param name="host">Server name (also the name the certificate must carry).</param>
        /// <param name="port">TCP port.</param>
        /// <param name="caCertificatesPem">Trusted roots (PEM, one or more certificates).</param>
        /// <param name="connectTimeoutMs">Limit for connecting and the handshake, where the platform can bound them.</param>
        /// <param name="readTimeoutMs">Longest wait for data in one <see cref="ISecureConnection.Read"/>.</param>
        /// <returns>The open connection; the caller disposes it.</returns>
        /// <exception cref="Exception">Name resolution, connect or TLS failure (see <see cref="Describe"/>).</exception>
        ISecureConnection Open(string host, int port, string caCertificatesPem, int connectTimeoutMs, int readTimeoutMs);

        /// <summary>
        /// Names a failure thrown by <see cref="Open"/> or by a connection's Read/Write in words a log reader
        /// understands ("read timeout", "certificate not trusted", ...), without secrets.
        /// </summary>
        string Describe(Exception failure);
    }
}
