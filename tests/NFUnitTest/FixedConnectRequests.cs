using AliyunIot.Connection;
using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>A request source that returns a fresh copy of one fixed CONNECT request, with a secret password.</summary>
    internal sealed class FixedConnectRequests : IConnectRequestSource
    {
        /// <summary>The password every request carries (must never appear in status reasons or logs).</summary>
        public const string Password = "s3cr3t-pa55w0rd-never-logged";

        /// <summary>Requests handed out.</summary>
        public int Calls;

        /// <inheritdoc />
        public MqttConnectRequest CreateConnectRequest()
        {
            Calls++;
            MqttConnectRequest request = new MqttConnectRequest();
            request.Host = "broker.test";
            request.Port = 1883;
            request.UseTls = false;
            request.ClientIdentifier = "a1Prod.dev1|securemode=3,signmethod=hmacsha256|";
            request.Username = "dev1&a1Prod";
            request.Password = Password;
            return request;
        }
    }
}
