using System;

namespace AliyunIot.Ports
{
    /// <summary>
    /// A connected, authenticated (TLS) byte connection to one server, as the HTTP client in
    /// <c>AliyunIot.Http</c> needs it. Not a <c>System.IO.Stream</c>: on nanoFramework 1.17 Stream lives in
    /// System.IO.Streams, which the core and its components do not reference, and the client needs only these calls.
    /// </summary>
    public interface ISecureConnection : IDisposable
    {
        /// <summary>
        /// Reads what has arrived, waiting up to the read timeout given to <see cref="ISecureConnectionOpener.Open"/>
        /// for the first byte.
        /// </summary>
        /// <returns>Bytes read (&gt; 0), or 0 when the server has closed the connection and everything was read.</returns>
        /// <exception cref="Exception">The read timed out or the connection failed (see <see cref="ISecureConnectionOpener.Describe"/>).</exception>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Sends all <paramref name="count"/> bytes.</summary>
        /// <exception cref="Exception">The connection failed.</exception>
        void Write(byte[] buffer, int offset, int count);
    }
}
