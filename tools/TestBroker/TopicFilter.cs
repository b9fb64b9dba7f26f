namespace AliyunIot.TestBroker
{
    /// <summary>MQTT topic filter matching (<c>+</c> one level, <c>#</c> the rest) for test-side waiting.</summary>
    public static class TopicFilter
    {
        /// <summary>True when <paramref name="topic"/> matches <paramref name="filter"/> by MQTT rules.</summary>
        public static bool Matches(string filter, string topic)
        {
            ArgumentNullException.ThrowIfNull(filter);
            ArgumentNullException.ThrowIfNull(topic);
            string[] f = filter.Split('/');
            string[] t = topic.Split('/');
            for (int i = 0; i < f.Length; i++)
            {
                if (f[i] == "#")
                {
                    return i == f.Length - 1;
                }

                if (i >= t.Length)
                {
                    return false;
                }

                if (f[i] != "+" && f[i] != t[i])
                {
                    return false;
                }
            }

            return f.Length == t.Length;
        }
    }
}
