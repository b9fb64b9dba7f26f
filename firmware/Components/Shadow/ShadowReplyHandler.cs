namespace AliyunIot.Shadow
{
    /// <summary>Called on the session's worker thread for every reply of the shadow (success or error).</summary>
    public delegate void ShadowReplyHandler(ShadowReply reply);
}
