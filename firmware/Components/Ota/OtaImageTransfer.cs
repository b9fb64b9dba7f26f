using System;
using System.Threading;
using AliyunIot.Connection;
using AliyunIot.Crypto;
using AliyunIot.Ports;
using OtaPartition;

namespace AliyunIot.Ota
{
    /// <summary>
    /// One job attempt's image work, on the job runner's thread: HTTPS download through one buffer straight into the
    /// inactive slot (hashed as it arrives, resumed with Range after drops and reboots, the URL refreshed when it
    /// expires), then verification and activation. Returns the final outcome, or null when the runner stops (no
    /// report: the job resumes later from the stored bytes).
    /// </summary>
    internal sealed class OtaImageTransfer
    {
        private const int MaxUrlRefreshes = 3;

        private readonly OtaJobRunner _runner;
        private readonly IHttpDownloader _downloader;
        private readonly SlotStore _store;
        private readonly OtaSettings _settings;
        private readonly string _caCertificatesPem;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly OtaProgressReport _progress;
        private readonly OtaUrlRefresh _urlRefresh;
        private readonly OtaSignatureCheck _signatureCheck;
        private readonly WaitHandle _stopEvent;
        private readonly byte[] _buffer;
        private readonly object _jobLock;

        internal OtaImageTransfer(OtaJobRunner runner, IHttpDownloader downloader, SlotStore store, OtaSettings settings, string caCertificatesPem,
            IClock clock, ILog log, OtaProgressReport progress, OtaUrlRefresh urlRefresh, OtaSignatureCheck signatureCheck, WaitHandle stopEvent, byte[] buffer, object jobLock)
        {
            _runner = runner;
            _downloader = downloader;
            _store = store;
            _settings = settings;
            _caCertificatesPem = caCertificatesPem;
            _clock = clock;
            _log = log;
            _progress = progress;
            _urlRefresh = urlRefresh;
            _signatureCheck = signatureCheck;
            _stopEvent = stopEvent;
            _buffer = buffer;
            _jobLock = jobLock;
        }

        /// <summary>Downloads, verifies and activates; null when stopped (no report: the job resumes later).</summary>
        internal OtaOutcome Run(OtaJob job, bool suspended, IDownloadConnectionControl control)
        {
            SlotWriter writer;
            try
            {
                writer = _store.OpenWriter(job.Tag, job.Size);
            }
            catch (InvalidOperationException ex)
            {
                return new OtaOutcome(OtaJobParser.StepUpgradeFailed, "refused: " + ex.Message);
            }
            catch (Exception ex)
            {
                return new OtaOutcome(OtaJobParser.StepWriteFailed, "cannot prepare the slot: " + ex.GetType().Name);
            }

            IHash hash = job.DigestKind == OtaDigestKind.Md5 ? (IHash)new Md5() : new Sha256();
            OtaDownloadSink sink = new OtaDownloadSink(_runner, writer, hash, job, _progress);
            if (writer.Offset == 0)
            {
                // Refuse an unsigned, foreign or downgrading image on its first chunk instead of after the whole download.
                sink.HeaderProbe = new OtaHeaderProbe(_signatureCheck, job, _runner.RunningVersion);
            }

            try
            {
                if (writer.Offset > 0)
                {
                    _log.Write(LogLevel.Info, "ota", "resuming after " + writer.Offset.ToString() + " stored bytes (re-hashing them)");
                    if (!Rehash(hash, writer.Offset))
                    {
                        return new OtaOutcome(OtaJobParser.StepWriteFailed, "stored part of the image is unreadable");
                    }
                }

                OtaOutcome failed = Transfer(job, writer, sink, suspended, control);
                if (failed != null || _runner.IsStopping())
                {
                    return failed;
                }
            }
            finally
            {
                writer.Dispose();
            }

            byte[] digest = hash.Finish();
            if (!Hex.DigestEquals(digest, job.Digest))
            {
                return new OtaOutcome(OtaJobParser.StepVerifyFailed, (job.DigestKind == OtaDigestKind.Md5 ? "MD5" : "SHA-256") + " mismatch: the image is corrupt");
            }

            uint signatureCrc;
            OtaOutcome refused = _signatureCheck.Verify(job, _runner.RunningVersion, _buffer, out signatureCrc);
            if (refused != null)
            {
                return refused;
            }

            try
            {
                _store.ActivateInactive(job.Version, _settings.ConfirmWithinBoots, _buffer, signatureCrc);
            }
            catch (OtaImageException ex)
            {
                return new OtaOutcome(OtaJobParser.StepVerifyFailed, "not a valid OTA image: " + ex.Message);
            }
            catch (Exception ex)
            {
                return new OtaOutcome(OtaJobParser.StepWriteFailed, "activating the new slot failed: " + ex.GetType().Name);
            }

            return new OtaOutcome(100, "verified; restarting into version " + job.Version);
        }

        /// <summary>Runs download attempts until the slot is complete; a failure outcome, or null.</summary>
        private OtaOutcome Transfer(OtaJob job, SlotWriter writer, OtaDownloadSink sink, bool suspended, IDownloadConnectionControl control)
        {
            int failures = 0;
            int refreshes = 0;
            int delay = _settings.RetryBaseMs;
            while (!writer.IsComplete)
            {
                if (_runner.IsStopping())
                {
                    return null;
                }

                long before = writer.Offset;
                string url;
                lock (_jobLock)
                {
                    url = job.Url;
                }

                HttpDownloadResult result = _downloader.Download(url, writer.Offset, _buffer, _caCertificatesPem, sink);
                if (sink.Failure != null)
                {
                    return sink.Failure;
                }

                if (writer.IsComplete || _runner.IsStopping())
                {
                    return null;
                }

                if (result.Status == HttpDownloadStatus.HttpError && (result.StatusCode == 403 || result.StatusCode == 400))
                {
                    if (refreshes == MaxUrlRefreshes)
                    {
                        return new OtaOutcome(OtaJobParser.StepDownloadFailed, "download URL refused (HTTP " + result.StatusCode.ToString() + ") after " + MaxUrlRefreshes.ToString() + " refreshes");
                    }

                    refreshes++;
                    _log.Write(LogLevel.Info, "ota", "download URL expired (HTTP " + result.StatusCode.ToString() + "); asking firmware.get for a new one");
                    string fresh = _urlRefresh.Refresh(suspended, control, _stopEvent);
                    if (fresh != null)
                    {
                        lock (_jobLock)
                        {
                            job.Url = fresh;
                        }
                    }
                    else
                    {
                        return _runner.IsStopping() ? null : new OtaOutcome(OtaJobParser.StepDownloadFailed, "download URL expired (HTTP " + result.StatusCode.ToString() + ") and no new URL arrived");
                    }

                    continue;
                }

                if (writer.Offset > before)
                {
                    failures = 0;
                    delay = _settings.RetryBaseMs;
                }

                failures++;
                if (failures > _settings.MaxRetries)
                {
                    return new OtaOutcome(OtaJobParser.StepDownloadFailed, "download failed after " + failures.ToString() + " attempts: " + result.Detail);
                }

                _log.Write(LogLevel.Warning, "ota", "download interrupted at " + writer.Offset.ToString() + " bytes (" + result.Detail + "); retry in " + delay.ToString() + " ms");
                if (_clock.Wait(_stopEvent, delay))
                {
                    return null;
                }

                delay = delay > _settings.RetryCapMs / 2 ? _settings.RetryCapMs : delay * 2;
            }

            return null;
        }

        private bool Rehash(IHash hash, long length)
        {
            IFlashFile file = _store.OpenInactiveForRead();
            try
            {
                return FlashHashing.Append(file, hash, length, _buffer);
            }
            finally
            {
                file.Dispose();
            }
        }
    }
}
