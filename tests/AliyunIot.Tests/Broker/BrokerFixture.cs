using Xunit;

namespace AliyunIot.Tests.Broker
{
    /// <summary>One test broker shared by the tests of a class (started once, always stopped).</summary>
    public sealed class BrokerFixture : IDisposable
    {
        public BrokerFixture()
        {
            Broker = AliyunIot.TestBroker.TestBroker.Start();
        }

        public AliyunIot.TestBroker.TestBroker Broker { get; }

        public void Dispose() => Broker.Dispose();
    }
}
