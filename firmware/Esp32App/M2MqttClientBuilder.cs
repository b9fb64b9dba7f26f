using System;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using AliyunIot.Ports;
using nanoFramework.M2Mqtt;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// Builds the M2Mqtt client for one connection: the CA certificate to trust for TLS and the client itself, which
    /// resolves the broker's DNS name in its constructor (so a new one per attempt sees a changed address). Every
    /// failure becomes an <see cref="MqttConnectResult"/> naming the cause, never an exception.
    /// </summary>
    internal static class M2MqttClientBuilder
    {
        /// <summary>The client for <paramref name="request"/>, or null with <paramref name="failure"/> saying why.</summary>
        internal static MqttClient Create(MqttConnectRequest request, out MqttConnectResult failure)
        {
            failure = null;
            X509Certificate caCertificate = null;
            if (request.UseTls)
            {
                if (request.CaCertificatesPem == null || request.CaCertificatesPem.Length == 0)
                {
                    failure = new MqttConnectResult(MqttConnectOutcome.TlsError, -1, "No CA certificate configured for TLS.");
                    return null;
                }

                try
                {
                    // The string constructor appends the NUL terminator mbedTLS needs for PEM (notes §A.8); a PEM
                    // passed as bytes would need it added by hand.
                    caCertificate = new X509Certificate(request.CaCertificatesPem);
                }
                catch (Exception e)
                {
                    failure = new MqttConnectResult(MqttConnectOutcome.TlsError, -1, "The CA certificate PEM could not be parsed (" + e.GetType().Name + ").");
                    return null;
                }
            }

            try
            {
                // Resolves DNS now (MqttNetworkChannel constructor). A null client certificate makes the channel use a
                // device certificate stored in the config block, if there is one; the platform does not need one.
                return new MqttClient(
                    request.Host,
                    request.Port,
                    request.UseTls,
                    caCertificate,
                    null,
                    request.UseTls ? MqttSslProtocols.TLSv1_2 : MqttSslProtocols.None);
            }
            catch (SocketException e)
            {
                failure = new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "DNS lookup of " + request.Host + " failed (socket error " + e.ErrorCode.ToString() + ").");
                return null;
            }
            catch (Exception e)
            {
                failure = new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "Could not create the MQTT client for " + request.Host + " (" + e.GetType().Name + ").");
                return null;
            }
        }
    }
}
