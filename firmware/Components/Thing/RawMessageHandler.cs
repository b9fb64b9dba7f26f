namespace AliyunIot.Thing
{
    /// <summary>Receives a message that needs no answer (custom user topic, broadcast, up_raw_reply).</summary>
    /// <param name="topic">The topic it arrived on.</param>
    /// <param name="payload">The bytes as received.</param>
    public delegate void RawMessageHandler(string topic, byte[] payload);
}
