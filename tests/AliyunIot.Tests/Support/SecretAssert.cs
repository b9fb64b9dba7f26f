using Xunit;

namespace AliyunIot.Tests.Support
{
    /// <summary>Secret checks whose failure message does not print the secret.</summary>
    internal static class SecretAssert
    {
        /// <summary>
        /// Fails when <paramref name="secret"/> occurs in <paramref name="text"/>, printing neither: xunit's
        /// DoesNotContain would put the secret and the text around it into the test output.
        /// </summary>
        public static void NotIn(string secret, string text, string where)
        {
            Assert.False(string.IsNullOrEmpty(secret), "no secret given to look for in " + where);
            Assert.False(text != null && text.Contains(secret, StringComparison.Ordinal), "a secret appeared in " + where + ": [" + (text == null ? 0 : text.Length) + " chars, redacted]");
        }
    }
}
