using System;
using AliyunIot.Crypto;
using AliyunIot.Ports;
using OtaPartition;

namespace AliyunIot.Ota
{
    /// <summary>
    /// Receives the download: each chunk is written to the slot, flushed (so a resume starts after it), hashed,
    /// and progress is reported at every further 10 %. Allocates nothing per chunk.
    /// </summary>
    internal sealed class OtaDownloadSink : IDownloadSink
    {
        private readonly OtaJobRunner _runner;
        private readonly SlotWriter _writer;
        private readonly IHash _hash;
        private readonly OtaJob _job;
        private readonly OtaProgressReport _progress;
        private long _skip;
        private int _lastDecile;

        public OtaDownloadSink(OtaJobRunner runner, SlotWriter writer, IHash hash, OtaJob job, OtaProgressReport progress)
        {
            _runner = runner;
            _writer = writer;
            _hash = hash;
            _job = job;
            _progress = progress;
            _lastDecile = (int)(writer.Offset * 10 / job.Size);
        }

        /// <summary>Checks the image header as soon as it has arrived (only for a download that starts at byte 0).</summary>
        public OtaHeaderProbe HeaderProbe { get; set; }

        /// <summary>Set when the job must end with this outcome (corrupt size, flash write failure).</summary>
        public OtaOutcome Failure { get; private set; }

        public bool OnStart(int statusCode, long rangeStart, long contentLength)
        {
            if (rangeStart > _writer.Offset)
            {
                return false;
            }

            if (contentLength >= 0 && rangeStart + contentLength != _job.Size)
            {
                Failure = new OtaOutcome(OtaJobParser.StepVerifyFailed, "the server's file has " + (rangeStart + contentLength).ToString() + " bytes, the job declares " + _job.Size.ToString());
                return false;
            }

            // A server that ignores Range sends everything again: skip what is already stored.
            _skip = _writer.Offset - rangeStart;
            return true;
        }

        public bool OnChunk(byte[] buffer, int count)
        {
            if (_runner.IsStopping())
            {
                return false;
            }

            int offset = 0;
            if (_skip > 0)
            {
                offset = _skip < count ? (int)_skip : count;
                _skip -= offset;
                if (offset == count)
                {
                    return true;
                }
            }

            int length = count - offset;
            if (_writer.Offset + length > _job.Size)
            {
                Failure = new OtaOutcome(OtaJobParser.StepVerifyFailed, "more bytes than the declared size of " + _job.Size.ToString());
                return false;
            }

            try
            {
                _writer.Write(buffer, offset, length);
                _writer.Flush();
            }
            catch (Exception ex)
            {
                Failure = new OtaOutcome(OtaJobParser.StepWriteFailed, "writing the slot failed: " + ex.GetType().Name);
                return false;
            }

            _hash.Append(buffer, offset, length);
            if (HeaderProbe != null)
            {
                OtaOutcome refused = HeaderProbe.Append(buffer, offset, length);
                if (refused != null)
                {
                    Failure = refused;
                    return false;
                }
            }

            int decile = (int)(_writer.Offset * 10 / _job.Size);
            if (decile > _lastDecile && decile < 10)
            {
                _lastDecile = decile;
                _progress.Report(decile * 10, "downloading");
            }
            else
            {
                // A report the outbox refused (window full) is offered again with each chunk until it is kept.
                _progress.Flush();
            }

            return true;
        }
    }
}
