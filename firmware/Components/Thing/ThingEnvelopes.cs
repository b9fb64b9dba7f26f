using AliyunIot.Alink;
using AliyunIot.Json;

namespace AliyunIot.Thing
{
    /// <summary>
    /// Reads the Alink envelopes of downlink requests and replies for the thing dispatcher: one
    /// <see cref="AlinkEnvelope"/> is reused message after message (a collection per message costs more than the
    /// message on the board), and every payload passes <see cref="JsonGuard"/> before the reader. Not thread-safe:
    /// used only on the session's worker thread.
    /// </summary>
    internal sealed class ThingEnvelopes
    {
        private readonly int _maxPayloadBytes;

        // Taken while in use, so a handler that re-enters the dispatcher gets a fresh one instead of a clobbered one.
        private AlinkEnvelope _spare = new AlinkEnvelope();

        /// <summary>Creates the reader.</summary>
        /// <param name="maxPayloadBytes">Largest payload accepted (limits.maxPayloadBytes).</param>
        internal ThingEnvelopes(int maxPayloadBytes)
        {
            _maxPayloadBytes = maxPayloadBytes;
        }

        /// <summary>Takes the spare envelope (or a new one when it is in use); hand it back with <see cref="Give"/>.</summary>
        internal AlinkEnvelope Take()
        {
            AlinkEnvelope envelope = _spare;
            _spare = null;
            return envelope == null ? new AlinkEnvelope() : envelope;
        }

        /// <summary>Returns an envelope taken with <see cref="Take"/> for the next message.</summary>
        internal void Give(AlinkEnvelope envelope)
        {
            _spare = envelope;
        }

        /// <summary>Reads <paramref name="payload"/> into <paramref name="envelope"/>.</summary>
        /// <returns>null when read, otherwise why the payload is malformed.</returns>
        internal string Read(AlinkEnvelope envelope, byte[] payload)
        {
            // The guard's single pass refuses hostile size and depth before the reader (which checks them too) runs.
            string problem = JsonGuard.Check(payload, 0, payload.Length, _maxPayloadBytes, JsonGuard.DefaultMaxDepth);
            return problem != null ? problem : envelope.Read(payload, payload.Length, JsonGuard.DefaultMaxDepth);
        }

        /// <summary>Why a read request cannot be answered as a request (bad id, then bad method), or null.</summary>
        internal static string RequestProblem(AlinkEnvelope request)
        {
            return request.IdProblem != null ? request.IdProblem : request.MethodProblem;
        }
    }
}
