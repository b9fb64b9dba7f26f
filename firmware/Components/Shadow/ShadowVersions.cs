namespace AliyunIot.Shadow
{
    /// <summary>
    /// The version rules of the platform's shadow, for <see cref="DeviceShadow"/>: the shadow accepts only a version
    /// newer than its own, so the device remembers the last version it knows (from every reply, control and get),
    /// the last one it sent (requests may be unanswered), and the last desired state it handed to the application
    /// (a get reply repeating it is not applied twice). Not thread-safe: <see cref="DeviceShadow"/> calls it under
    /// its lock, together with writing the request that carries the version.
    /// </summary>
    internal sealed class ShadowVersions
    {
        private long _version;
        private long _sentVersion;
        private long _offeredVersion = -1;

        /// <param name="lastVersion">The last shadow version this device knew (0 when unknown; negative reads as 0).</param>
        internal ShadowVersions(long lastVersion)
        {
            _version = lastVersion < 0 ? 0 : lastVersion;
            _sentVersion = _version;
        }

        /// <summary>The last shadow version this device knows.</summary>
        internal long Known
        {
            get { return _version; }
        }

        /// <summary>The version the next request carries: one above both the known and the last sent version.</summary>
        internal long Next()
        {
            return (_sentVersion > _version ? _sentVersion : _version) + 1;
        }

        /// <summary>A request with <paramref name="version"/> was written (only then: a refused request sends nothing).</summary>
        internal void Sent(long version)
        {
            _sentVersion = version;
        }

        /// <summary>A desired state (control) with <paramref name="version"/> arrived: learns it when newer.</summary>
        /// <returns>The version known before; the control is stale (409) when it is not newer than this.</returns>
        internal long AcceptControl(long version)
        {
            long known = _version;
            if (version > _version)
            {
                _version = version;
            }

            return known;
        }

        /// <summary>A get reply with <paramref name="version"/> arrived.</summary>
        /// <param name="version">The reply's version.</param>
        /// <param name="hasDesired">The reply carries a non-empty desired state.</param>
        /// <returns>true when its desired state has not been handed to the application yet.</returns>
        internal bool AcceptGetReply(long version, bool hasDesired)
        {
            // A get reply is the cloud's truth when newer; an older one means the shadow was reset (version
            // -1), unless requests of ours are unanswered, when the reply may simply predate them.
            bool reset = version < _version && _sentVersion == _version;
            if (version >= _version || reset)
            {
                _version = version;
                _sentVersion = reset || version > _sentVersion ? version : _sentVersion;
                _offeredVersion = reset ? -1 : _offeredVersion;
            }

            return hasDesired && version > _offeredVersion;
        }

        /// <summary>A reply to an update or delete named <paramref name="version"/>: learns it when newer.</summary>
        internal void Learn(long version)
        {
            if (version > _version)
            {
                _version = version;
            }
        }

        /// <summary>The desired state of <paramref name="version"/> is being handed to the application.</summary>
        internal void Offered(long version)
        {
            _offeredVersion = version > _offeredVersion ? version : _offeredVersion;
        }
    }
}
