using AliyunIot.Ports;

namespace AliyunIot.Connection
{
    /// <summary>
    /// Decides what follows a failed attempt or a lost connection: the status to report, why, and how long to wait.
    /// CONNACK refusals take the long back-off (retrying bad credentials quickly helps nobody and looks like an
    /// attack), everything else the normal one; several quick losses in a row read as another device using the
    /// identity (<see cref="KickDetector"/>). Both back-offs and the kick count restart once a connection proved
    /// stable. Supervisor thread only.
    /// </summary>
    internal sealed class RetryPlanner
    {
        private readonly Backoff _backoff;
        private readonly Backoff _refusalBackoff;
        private readonly KickDetector _kicks;

        internal RetryPlanner(SessionOptions options, IRandom random)
        {
            _kicks = new KickDetector(options.QuickDisconnectMs, options.QuickDisconnectsForIdentityInUse);
            _backoff = new Backoff(random, options.BackoffBaseMs, options.BackoffCapMs, true);
            _refusalBackoff = new Backoff(random, options.RefusalBackoffBaseMs, options.RefusalBackoffCapMs, false);
        }

        /// <summary>A connection stayed up long enough: the next failure starts from the shortest delays again.</summary>
        internal void OnStable()
        {
            _backoff.Reset();
            _refusalBackoff.Reset();
            _kicks.Reset();
        }

        /// <summary>An attempt ended without a connection, with <paramref name="status"/> (not Connected).</summary>
        /// <returns>The delay before the next attempt, ms; <paramref name="reason"/> says why (no secrets).</returns>
        internal int AfterFailedAttempt(ConnectionStatus status, MqttConnectResult result, out string reason)
        {
            if (status == ConnectionStatus.NetworkDown || status == ConnectionStatus.TlsFailed)
            {
                // The broker (or the way to it) went away between attempts: the quick losses before were not a
                // second device kicking this one, which would have let the next attempt connect at once.
                _kicks.Reset();
            }

            int delay;
            string cause;
            if (ConnectOutcomeClassifier.IsRefusal(status))
            {
                delay = _refusalBackoff.NextDelayMs();
                cause = "refused by the server (code " + result.ReasonCode.ToString() + "): " + RefusalHint(status);
            }
            else
            {
                delay = _backoff.NextDelayMs();
                cause = "connection failed: " + result.Detail;
            }

            reason = cause + "; retrying in " + (delay / 1000).ToString() + " s";
            return delay;
        }

        /// <summary>
        /// A connection that was accepted ended after <paramref name="upMs"/>, because of <paramref name="lost"/>
        /// (<paramref name="lostByClient"/> when the client gave it up itself, e.g. no PUBACK after its retries).
        /// </summary>
        /// <returns><see cref="ConnectionStatus.IdentityInUse"/> when this looks like a kick, else
        /// <see cref="ConnectionStatus.WaitingToRetry"/>; with the delay and the reason.</returns>
        internal ConnectionStatus AfterLoss(long upMs, bool lostByClient, string lost, out int delay, out string reason)
        {
            bool kicked = _kicks.OnLost(upMs, lostByClient);
            delay = _backoff.NextDelayMs();
            if (kicked)
            {
                reason = "the server closed " + _kicks.Count.ToString() + " connections in a row right after accepting them: another connection probably uses this identity; retrying in " + (delay / 1000).ToString() + " s";
                return ConnectionStatus.IdentityInUse;
            }

            reason = "connection lost after " + (upMs / 1000).ToString() + " s: " + lost + "; retrying in " + (delay / 1000).ToString() + " s";
            return ConnectionStatus.WaitingToRetry;
        }

        private static string RefusalHint(ConnectionStatus status)
        {
            switch (status)
            {
                case ConnectionStatus.BadCredentials:
                    return "bad credentials (check DeviceSecret and signMethod)";
                case ConnectionStatus.NotAuthorized:
                    return "not authorized (check productKey, deviceName and DeviceSecret, and that the device is enabled)";
                default:
                    return "configuration rejected (check clientId and keepAliveSeconds 30..1200)";
            }
        }
    }
}
