using AliyunIot.Ports;

namespace AliyunIot.Tests.Ota
{
    /// <summary>
    /// Serves one image from memory through the caller's buffer (no allocation per chunk), honouring the resume
    /// offset like a server answering a Range request: for tests that exercise the agent and the flash, not HTTP.
    /// </summary>
    internal sealed class InMemoryImageDownloader : IHttpDownloader
    {
        private readonly byte[] _image;

        public InMemoryImageDownloader(byte[] image) => _image = image;

        public HttpDownloadResult Download(string url, long offset, byte[] buffer, string caCertificatesPem, IDownloadSink sink)
        {
            if (!sink.OnStart(offset > 0 ? 206 : 200, offset, _image.Length - offset))
            {
                return null;
            }

            long position = offset;
            while (position < _image.Length)
            {
                int count = (int)Math.Min(buffer.Length, _image.Length - position);
                Buffer.BlockCopy(_image, (int)position, buffer, 0, count);
                position += count;
                if (!sink.OnChunk(buffer, count))
                {
                    return null;
                }
            }

            return null;
        }
    }
}
