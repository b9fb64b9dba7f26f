namespace AliyunIot.Esp32
{
    /// <summary>
    /// nanoFramework's X509Certificate(string) takes PEM text; .NET's takes a FILE NAME. Declared in the adapter's own
    /// namespace so the linked M2MqttTransport.cs binds to this one on the host (namespace members win over using
    /// directives). It only checks that the text looks like PEM, which is what the device's constructor refuses.
    /// </summary>
    public sealed class X509Certificate
    {
        public X509Certificate(string pem)
        {
            if (pem == null || !pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                throw new ArgumentException("not a PEM certificate");
            }

            Pem = pem;
        }

        public string Pem { get; }
    }
}
