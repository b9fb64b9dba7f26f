using System;
using AliyunIot.Config;
using AliyunIot.Ports;

namespace AliyunIot.Provisioning
{
    /// <summary>
    /// Stores the registered credential: writes device.json, reads it back and parses it, so the credential is used
    /// only once it is known to be in the store (a credential that was used but lost would orphan the device); then
    /// scrubs the free flash, which still holds the old blocks with the ProductSecret.
    /// </summary>
    internal sealed class RegistrationPersistence
    {
        private const int StoreAttempts = 3;

        private readonly IConfigStore _store;
        private readonly DeviceConfigParser _parser = new DeviceConfigParser(null);
        private readonly ILog _log;

        internal RegistrationPersistence(IConfigStore store, ILog log)
        {
            _store = store;
            _log = log;
        }

        /// <summary>
        /// Persists <paramref name="document"/> (up to three attempts) and returns the config re-read from the store,
        /// or <see cref="RegistrationOutcome.StoreFailed"/> (the credential is then not used).
        /// </summary>
        /// <param name="config">The config that registered (named in the log).</param>
        /// <param name="document">The new device.json.</param>
        /// <param name="what">What was obtained, for the log ("deviceSecret").</param>
        internal RegistrationResult Persist(DeviceConfig config, string document, string what)
        {
            string lastError = null;
            for (int attempt = 1; attempt <= StoreAttempts; attempt++)
            {
                try
                {
                    _store.Write(document);
                    string stored = _store.Read();
                    if (stored == document)
                    {
                        DeviceConfig registered = _parser.Parse(stored);
                        _log.Write(LogLevel.Info, RegistrationAnswers.LogSource, "registered " + config.ProductKey + "/" + config.DeviceName + "; " + what + " persisted");
                        ForgetOldBlocks();
                        return new RegistrationResult(RegistrationOutcome.Registered, registered, 200, what + " persisted");
                    }

                    lastError = "read-back differs";
                }
                catch (ConfigException e)
                {
                    lastError = "stored config invalid (" + e.Field + ")";
                }
                catch (Exception e)
                {
                    lastError = e.GetType().Name;
                }

                _log.Write(LogLevel.Warning, RegistrationAnswers.LogSource, "persisting the registration failed (attempt " + attempt.ToString() + "): " + lastError);
            }

            return RegistrationAnswers.Fail(_log, RegistrationOutcome.StoreFailed, 0, "could not persist the " + what + ": " + lastError + "; not used");
        }

        // The ProductSecret is gone from device.json now; on flash its old blocks are only freed. Scrub them where the
        // store is the device's flash (best effort: the registration itself succeeded either way).
        private void ForgetOldBlocks()
        {
            FlashConfigStore flash = _store as FlashConfigStore;
            if (flash == null)
            {
                return;
            }

            try
            {
                long bytes = FlashScrubber.Scrub(flash.Storage, new byte[1024]);
                _log.Write(LogLevel.Info, RegistrationAnswers.LogSource, "free flash scrubbed (" + bytes.ToString() + " bytes) so the old device.json blocks do not keep the product secret");
            }
            catch (Exception e)
            {
                _log.Write(LogLevel.Warning, RegistrationAnswers.LogSource, "scrubbing the free flash failed (" + e.GetType().Name + ")");
            }
        }
    }
}
