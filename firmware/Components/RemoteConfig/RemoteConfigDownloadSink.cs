using System;
using AliyunIot.Alink;
using AliyunIot.Crypto;
using AliyunIot.Ports;
using OtaPartition;

namespace AliyunIot.RemoteConfig
{
    /// <summary>
    /// Streams a config download into the candidate file through the caller's one buffer, hashing as it arrives
    /// (the same shape as the OTA download sink). The whole file is fetched from its start on every attempt: configs
    /// are small, and a fresh hash is simpler than resuming one.
    /// </summary>
    internal sealed class RemoteConfigDownloadSink : IDownloadSink
    {
        private readonly IFlashFile _file;
        private readonly IHash _hash;
        private readonly RemoteConfigOffer _offer;
        private readonly RemoteConfigJobRunner _runner;

        public RemoteConfigDownloadSink(IFlashFile file, IHash hash, RemoteConfigOffer offer, RemoteConfigJobRunner runner)
        {
            _file = file;
            _hash = hash;
            _offer = offer;
            _runner = runner;
        }

        /// <summary>Bytes written so far.</summary>
        public long Written { get; private set; }

        /// <summary>Set when the offer must be refused for what the server sent (not retried).</summary>
        public RemoteConfigRefusedException Failure { get; private set; }

        public bool OnStart(int statusCode, long rangeStart, long contentLength)
        {
            if (rangeStart != 0)
            {
                Failure = new RemoteConfigRefusedException(ReplyCodes.RequestError, "config refused: the server answered from byte " + rangeStart.ToString() + ", not from the start");
                return false;
            }

            if (contentLength >= 0 && contentLength != _offer.Size)
            {
                Failure = new RemoteConfigRefusedException(ReplyCodes.ParameterError, "config refused: the server's file has " + contentLength.ToString() + " bytes, configSize says " + _offer.Size.ToString());
                return false;
            }

            return true;
        }

        public bool OnChunk(byte[] buffer, int count)
        {
            if (_runner.IsStopping())
            {
                return false;
            }

            if (Written + count > _offer.Size)
            {
                Failure = new RemoteConfigRefusedException(ReplyCodes.ParameterError, "config refused: the file is longer than configSize (" + _offer.Size.ToString() + " bytes)");
                return false;
            }

            try
            {
                _file.Write(buffer, 0, count);
            }
            catch (Exception ex)
            {
                Failure = new RemoteConfigRefusedException(ReplyCodes.RequestError, "config not stored: writing flash failed (" + ex.GetType().Name + ")");
                return false;
            }

            _hash.Append(buffer, 0, count);
            Written += count;
            return true;
        }
    }
}
