namespace AliyunIot.RemoteConfig
{
    /// <summary>
    /// The application's side of remote config: it is handed every verified file (size and SHA-256 checked) before
    /// the file replaces the stored one, and decides whether it can use it.
    /// </summary>
    public interface IRemoteConfigHandler
    {
        /// <summary>Applies a verified config. Runs on the remote config job thread (or the caller's at boot).</summary>
        /// <param name="file">The verified file: read it with <see cref="RemoteConfigFile.ReadAll"/> or <see cref="RemoteConfigFile.OpenRead"/>.</param>
        /// <returns>null when applied (the file becomes the stored last good config); otherwise why it was refused
        /// (no secrets): the stored config stays, and a push is answered 460 with this reason.</returns>
        string Apply(RemoteConfigFile file);
    }
}
