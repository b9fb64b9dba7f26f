namespace AliyunIot.RemoteConfig
{
    /// <summary>The offer being downloaded, where it came from, and the push to answer when it ends.</summary>
    internal sealed class RemoteConfigJob
    {
        public RemoteConfigJob(RemoteConfigOffer offer, RemoteConfigSource source, string pushId)
        {
            Offer = offer;
            Source = source;
            PushId = pushId;
        }

        public readonly RemoteConfigOffer Offer;
        public readonly RemoteConfigSource Source;

        /// <summary>The push's id (null for a fetched config); set under the job runner's lock.</summary>
        public string PushId;
    }
}
