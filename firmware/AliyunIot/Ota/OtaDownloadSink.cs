using System;
using AliyunIot.Connection;
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
        private readonly OtaReporter _reporter;
        private long _skip;
        private int _lastDecile;

        public OtaDownloadSink(OtaJobRunner runner, SlotWriter writer, IHash hash, OtaJob job, OtaReporter reporter)
        {
            _runner = runner;
            _writer = writer;
            _hash = hash;
            _job = job;
            _reporter = reporter;
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
                // Only a report the outbox kept counts: one it refused (window full) is tried again with the next chunk.
                PublishStatus status = _reporter.Progress(decile * 10, "downloading");
                if (status == PublishStatus.Sent || status == PublishStatus.Queued)
                {
                    _lastDecile = decile;
                }
            }

            return true;
        }
    }
}
