namespace AliyunIot.Thing
{
    /// <summary>
    /// Answers a raw request (down_raw, raw RRPC, custom-topic RRPC): return the reply bytes, or null for no reply.
    /// </summary>
    /// <param name="topic">The topic it arrived on.</param>
    /// <param name="payload">The bytes as received.</param>
    public delegate byte[] RawRequestHandler(string topic, byte[] payload);
}
