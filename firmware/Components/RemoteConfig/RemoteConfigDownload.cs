using System;
using System.Threading;
using AliyunIot.Alink;
using AliyunIot.Crypto;
using AliyunIot.Connection;
using AliyunIot.Ports;
using OtaPartition;

namespace AliyunIot.RemoteConfig
{
    /// <summary>
    /// One offer's download on the job thread: the whole file into the candidate through one buffer (hashed as it
    /// arrives), retried after network errors, the URL refreshed once after HTTP 403/400 (OSS URLs expire after
    /// 30 minutes), then size and SHA-256 checked, the application asked, and the file committed.
    /// </summary>
    internal sealed class RemoteConfigDownload
    {
        private readonly RemoteConfigJobRunner _runner;
        private readonly RemoteConfigStore _store;
        private readonly IHttpDownloader _downloader;
        private readonly RemoteConfigSettings _settings;
        private readonly IClock _clock;
        private readonly WaitHandle _stopEvent;
        private readonly ILog _log;
        private readonly string _caCertificatesPem;

        public RemoteConfigDownload(RemoteConfigJobRunner runner, RemoteConfigStore store, IHttpDownloader downloader, RemoteConfigSettings settings, IClock clock, WaitHandle stopEvent, ILog log, string caCertificatesPem)
        {
            _runner = runner;
            _store = store;
            _downloader = downloader;
            _settings = settings;
            _clock = clock;
            _stopEvent = stopEvent;
            _log = log;
            _caCertificatesPem = caCertificatesPem;
        }

        /// <summary>Downloads, verifies, hands over and stores; null when stopped.</summary>
        public RemoteConfigOutcome Run(RemoteConfigJob job)
        {
            IDownloadConnectionControl connection = _runner.ConnectionControl;
            if (connection != null)
            {
                connection.Suspend();
            }

            bool resumed = connection == null;
            try
            {
                RemoteConfigOutcome failed = Download(job, connection);
                if (connection != null)
                {
                    connection.Resume();
                    resumed = true;
                }

                return failed == Verified ? Apply(job) : failed;
            }
            finally
            {
                if (!resumed)
                {
                    connection.Resume();
                }
            }
        }

        // Marks a download that ended verified (Download returns an outcome only for failures, or null when stopped).
        private static readonly RemoteConfigOutcome Verified = new RemoteConfigOutcome(null, ReplyCodes.Success, "verified");

        private RemoteConfigOutcome Download(RemoteConfigJob job, IDownloadConnectionControl connection)
        {
            RemoteConfigOffer offer = job.Offer;
            byte[] buffer = new byte[_settings.ChunkSize];
            int failures = 0;
            bool refreshed = false;
            while (true)
            {
                string url;
                if (_runner.IsStopping())
                {
                    _store.DiscardCandidate();
                    return null;
                }

                url = _runner.UrlOf(job);

                Sha256 hash = new Sha256();
                RemoteConfigDownloadSink sink;
                HttpDownloadResult result;
                IFlashFile file;
                try
                {
                    file = _store.CreateCandidate();
                }
                catch (Exception ex)
                {
                    return Failed(offer, ReplyCodes.RequestError, "config not stored: cannot create " + RemoteConfigStore.CandidateName + " (" + ex.GetType().Name + ")");
                }

                try
                {
                    sink = new RemoteConfigDownloadSink(file, hash, offer, _runner);
                    result = _downloader.Download(url, 0, buffer, _caCertificatesPem, sink);
                    if (sink.Failure == null && result.Status == HttpDownloadStatus.Completed)
                    {
                        file.Flush();
                    }
                }
                finally
                {
                    file.Dispose();
                }

                if (sink.Failure != null)
                {
                    return Failed(offer, sink.Failure.Code, sink.Failure.Message);
                }

                if (_runner.IsStopping())
                {
                    _store.DiscardCandidate();
                    return null;
                }

                if (result.Status == HttpDownloadStatus.Completed)
                {
                    if (sink.Written != offer.Size)
                    {
                        return Failed(offer, ReplyCodes.ParameterError, "config refused: the file has " + sink.Written.ToString() + " bytes, configSize says " + offer.Size.ToString());
                    }

                    if (!Hex.DigestEquals(hash.Finish(), offer.Sign))
                    {
                        return Failed(offer, ReplyCodes.ParameterError, "config refused: SHA-256 differs from sign (the file is corrupt or not the one offered)");
                    }

                    break;
                }

                if (result.Status == HttpDownloadStatus.HttpError && (result.StatusCode == 403 || result.StatusCode == 400))
                {
                    if (refreshed)
                    {
                        return Failed(offer, ReplyCodes.RequestError, "config not downloaded: URL refused (HTTP " + result.StatusCode.ToString() + ") even after a refresh");
                    }

                    refreshed = true;
                    _log.Write(LogLevel.Info, RemoteConfigAgent.LogSource, "config URL expired (HTTP " + result.StatusCode.ToString() + "); asking thing.config.get for a new one");
                    // A fresh URL comes over MQTT: reconnect for the question when the connection was closed for the download.
                    if (connection != null)
                    {
                        connection.Resume();
                    }

                    bool fresh = _runner.RefreshUrl();
                    if (connection != null)
                    {
                        connection.Suspend();
                    }

                    if (!fresh)
                    {
                        if (_runner.IsStopping())
                        {
                            _store.DiscardCandidate();
                            return null;
                        }

                        return Failed(offer, ReplyCodes.RequestError, "config not downloaded: URL expired (HTTP " + result.StatusCode.ToString() + ") and no new URL arrived");
                    }

                    continue;
                }

                if (result.Status == HttpDownloadStatus.HttpError)
                {
                    return Failed(offer, ReplyCodes.RequestError, "config not downloaded: HTTP " + result.StatusCode.ToString());
                }

                failures++;
                if (failures >= _settings.Attempts)
                {
                    return Failed(offer, ReplyCodes.RequestError, "config not downloaded after " + failures.ToString() + " attempts: " + result.Detail);
                }

                _log.Write(LogLevel.Warning, RemoteConfigAgent.LogSource, "config download interrupted (" + result.Detail + "); retry in " + _settings.RetryDelayMs.ToString() + " ms");
                if (_clock.Wait(_stopEvent, _settings.RetryDelayMs))
                {
                    _store.DiscardCandidate();
                    return null;
                }
            }

            return Verified;
        }

        private RemoteConfigOutcome Apply(RemoteConfigJob job)
        {
            RemoteConfigOffer offer = job.Offer;
            string refusal = _runner.CallHandler(_store.Candidate(offer, job.Source));
            if (refusal != null)
            {
                return Failed(offer, ReplyCodes.ParameterError, "config " + offer.ConfigId + " refused by the application: " + refusal);
            }

            try
            {
                _store.Commit(offer);
            }
            catch (Exception ex)
            {
                return Failed(offer, ReplyCodes.RequestError, "config " + offer.ConfigId + " applied but not stored (" + ex.GetType().Name + "); the previous one returns after a reboot");
            }

            return new RemoteConfigOutcome(offer.ConfigId, ReplyCodes.Success, "config " + offer.ConfigId + " applied (" + offer.Size.ToString() + " bytes)");
        }

        private RemoteConfigOutcome Failed(RemoteConfigOffer offer, int code, string message)
        {
            _store.DiscardCandidate();
            return new RemoteConfigOutcome(offer.ConfigId, code, message);
        }
    }
}
