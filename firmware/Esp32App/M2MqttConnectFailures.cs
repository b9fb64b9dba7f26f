using System;
using System.Net.Sockets;
using AliyunIot.Ports;
using AliyunIot.Time;
using nanoFramework.M2Mqtt.Exceptions;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// Turns the exceptions M2Mqtt 5.1.220 throws from Connect into results the session classifies: TCP failures
    /// (non-negative socket error codes) as network errors, TLS failures (a SocketException carrying a negative
    /// mbedTLS code inside MqttConnectionException) as TLS errors, client-side validation errors by name.
    /// </summary>
    internal static class M2MqttConnectFailures
    {
        /// <summary>What a <c>MqttConnectionException</c> from Connect means: TCP, TLS (with the mbedTLS code) or other.</summary>
        internal static MqttConnectResult FromConnectionException(MqttConnectionException e, bool tls)
        {
            // M2Mqtt wraps both TCP and TLS failures in MqttConnectionException. nanoFramework's SslStream reports a
            // failed handshake as a SocketException carrying the (negative) mbedTLS error code, so only a
            // non-negative socket error is a TCP failure. A clock that was never set is the most common handshake
            // failure in the field, so say so.
            Exception inner = e.InnerException;
            SocketException socketError = inner as SocketException;
            if (socketError != null && (!tls || socketError.ErrorCode >= 0))
            {
                return new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "TCP connect failed (socket error " + socketError.ErrorCode.ToString() + ").");
            }

            if (!tls)
            {
                return new MqttConnectResult(MqttConnectOutcome.NetworkError, -1, "Connection failed (" + (inner == null ? "no detail" : inner.GetType().Name) + ").");
            }

            string detail = socketError != null
                ? "TLS handshake failed (mbedTLS error -0x" + (-socketError.ErrorCode).ToString("X4") + ")"
                : "TLS handshake failed (" + (inner == null ? "no detail" : inner.GetType().Name) + ")";
            if (!TimeValidity.IsPlausibleForTls(DateTime.UtcNow))
            {
                detail += "; the clock is not set, so no certificate can be validated";
            }

            return new MqttConnectResult(MqttConnectOutcome.TlsError, -1, detail + ".");
        }

        /// <summary>The name of a client-side CONNECT refusal (enums print as numbers on nanoFramework).</summary>
        internal static string ClientErrorName(MqttClientErrorCode code)
        {
            // Enums print as numbers on nanoFramework; name the ones a CONNECT can hit.
            switch (code)
            {
                case MqttClientErrorCode.WillWrong:
                    return "WillWrong";
                case MqttClientErrorCode.KeepAliveWrong:
                    return "KeepAliveWrong";
                case MqttClientErrorCode.InvalidClientId:
                    return "InvalidClientId";
                case MqttClientErrorCode.InvalidConnectFlags:
                    return "InvalidConnectFlags";
                case MqttClientErrorCode.InflightQueueFull:
                    return "InflightQueueFull";
                default:
                    return "other";
            }
        }
    }
}
