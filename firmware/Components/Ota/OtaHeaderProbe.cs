using OtaPartition;

namespace AliyunIot.Ota
{
    /// <summary>
    /// Collects the first bytes of a download until the image header is complete, then lets
    /// <see cref="OtaSignatureCheck.CheckHeader"/> judge it: an image for another board, platform or key, with the
    /// wrong version or a stale counter is refused after its first chunk instead of after the whole download.
    /// Holds at most the header (≤ 4 KiB, usually ~150 bytes).
    /// </summary>
    internal sealed class OtaHeaderProbe
    {
        private readonly OtaSignatureCheck _check;
        private readonly OtaJob _job;
        private readonly string _runningVersion;
        private readonly byte[] _start = new byte[OtaImageHeader.FixedLength];
        private byte[] _header;
        private int _have;
        private bool _done;

        internal OtaHeaderProbe(OtaSignatureCheck check, OtaJob job, string runningVersion)
        {
            _check = check;
            _job = job;
            _runningVersion = runningVersion;
        }

        /// <summary>Feeds the next bytes of the image; returns the refusal once the header is known, else null.</summary>
        internal OtaOutcome Append(byte[] buffer, int offset, int count)
        {
            while (!_done && count > 0)
            {
                byte[] target = _header == null ? _start : _header;
                int take = target.Length - _have < count ? target.Length - _have : count;
                for (int i = 0; i < take; i++)
                {
                    target[_have + i] = buffer[offset + i];
                }

                _have += take;
                offset += take;
                count -= take;
                if (_have < target.Length)
                {
                    return null;
                }

                try
                {
                    if (_header == null)
                    {
                        _header = new byte[OtaImageHeader.PeekLength(_start)];
                        for (int i = 0; i < _start.Length; i++)
                        {
                            _header[i] = _start[i];
                        }

                        continue;
                    }

                    _done = true;
                    return _check.CheckHeader(OtaImageHeader.Decode(_header, _header.Length), _job, _runningVersion);
                }
                catch (OtaImageException ex)
                {
                    _done = true;
                    return OtaOutcome.Discarding(OtaJobParser.StepVerifyFailed, "not a valid OTA image: " + ex.Message);
                }
            }

            return null;
        }
    }
}
