using System;
using System.Collections;
using AliyunIot.Config;
using AliyunIot.Connection;
using AliyunIot.Crypto;
using AliyunIot.Ports;

namespace AliyunIot.Provisioning
{
    /// <summary>
    /// Registration over MQTT: a one-shot connection with <c>authType=register</c> (the platform answers the
    /// deviceSecret on <c>/ext/register</c>) or <c>authType=regnwl</c> (clientId + deviceToken on <c>/ext/regnwl</c>),
    /// closed as soon as the answer arrived, then the credential is persisted through <see cref="RegistrationPersistence"/>.
    /// </summary>
    internal sealed class MqttRegistration
    {
        private readonly IMqttTransportFactory _mqtt;
        private readonly IRandom _random;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly IHmacSha256 _hmacSha256;
        private readonly RegistrationPersistence _persistence;

        internal MqttRegistration(IMqttTransportFactory mqtt, IRandom random, IClock clock, ILog log, IHmacSha256 hmacSha256, RegistrationPersistence persistence)
        {
            _mqtt = mqtt;
            _random = random;
            _clock = clock;
            _log = log;
            _hmacSha256 = hmacSha256;
            _persistence = persistence;
        }

        /// <summary>Registers <paramref name="config"/>, trying the other securemode when the first is refused.</summary>
        /// <param name="config">The device (holding the ProductSecret).</param>
        /// <param name="caCertificatesPem">Trusted roots for MQTT TLS.</param>
        /// <param name="noPreRegistration">regnwl (the device was not created in the console beforehand).</param>
        /// <param name="timeoutMs">How long the CONNACK and the answer may each take.</param>
        internal RegistrationResult Register(DeviceConfig config, string caCertificatesPem, bool noPreRegistration, int timeoutMs)
        {
            if (_mqtt == null)
            {
                throw new InvalidOperationException("mqtt registration needs an IMqttTransportFactory");
            }

            // Docs: -2 with instanceId on new instances, 2 on legacy ones; SDKs disagree, so try the other on refusal.
            int first = config.InstanceId != null ? MqttCredentials.SecureModeToken : MqttCredentials.SecureModeTls;
            int second = first == MqttCredentials.SecureModeToken ? MqttCredentials.SecureModeTls : MqttCredentials.SecureModeToken;
            RegistrationResult result = RegisterOnce(config, caCertificatesPem, noPreRegistration, first, timeoutMs);
            if (result.Outcome == RegistrationOutcome.Refused)
            {
                _log.Write(LogLevel.Info, RegistrationAnswers.LogSource, "securemode=" + first.ToString() + " refused (" + result.Code.ToString() + "); trying securemode=" + second.ToString());
                result = RegisterOnce(config, caCertificatesPem, noPreRegistration, second, timeoutMs);
            }

            return result;
        }

        private RegistrationResult RegisterOnce(DeviceConfig config, string caCertificatesPem, bool noPreRegistration, int secureMode, int timeoutMs)
        {
            string random = DynamicRegistration.NewRandom(_random);
            MqttCredentials credentials = MqttCredentials.ForRegistration(config.ProductKey, config.DeviceName, config.ProductSecret, random, config.SignMethod, noPreRegistration, secureMode, config.InstanceId, _hmacSha256);
            MqttConnectRequest request = credentials.ToConnectRequest(config, caCertificatesPem);
            request.CleanSession = true; // a one-shot connection: no session worth keeping
            request.ConnectTimeoutMs = timeoutMs;

            string topic = noPreRegistration ? DynamicRegistration.RegisterNoPreRegistrationTopic : DynamicRegistration.RegisterTopic;
            RegistrationAnswerListener listener = new RegistrationAnswerListener(topic);
            IMqttTransport transport = _mqtt.Create();
            try
            {
                MqttConnectResult connect = transport.Connect(request, listener);
                if (connect.Outcome == MqttConnectOutcome.Refused)
                {
                    return Fail(RegistrationOutcome.Refused, connect.ReasonCode, "registration CONNECT refused with code " + connect.ReasonCode.ToString());
                }

                if (connect.Outcome == MqttConnectOutcome.Timeout)
                {
                    return Fail(RegistrationOutcome.Timeout, -1, "registration CONNACK timed out");
                }

                if (connect.Outcome != MqttConnectOutcome.Accepted)
                {
                    return Fail(RegistrationOutcome.NetworkError, connect.ReasonCode, "registration connect failed: " + connect.Detail);
                }

                // The platform publishes without a SUBSCRIBE; brokers that need one get it (a refusal is harmless).
                transport.Subscribe(new string[] { topic }, new int[] { 0 });
                _clock.Wait(listener.Arrived, timeoutMs);
                if (listener.Payload == null)
                {
                    if (listener.LostReason != null)
                    {
                        return Fail(RegistrationOutcome.NetworkError, 0, "connection closed before an answer on " + topic + ": " + listener.LostReason);
                    }

                    return Fail(RegistrationOutcome.Timeout, 0, "no answer on " + topic + " within " + timeoutMs.ToString() + " ms");
                }
            }
            finally
            {
                transport.Close();
            }

            Hashtable answer = RegistrationAnswers.Parse(listener.Payload);
            if (answer == null || !RegistrationAnswers.NamesThisDevice(answer, config))
            {
                return Fail(RegistrationOutcome.MalformedAnswer, 0, "answer on " + topic + " is not a JSON object for this device");
            }

            if (noPreRegistration)
            {
                string clientId = answer["clientId"] as string;
                string token = answer["deviceToken"] as string;
                if (!DeviceConfigParser.IsClientId(clientId) || token == null || token.Length == 0 || token.Length > 128)
                {
                    return Fail(RegistrationOutcome.MalformedAnswer, 0, "answer on " + topic + " lacks a valid clientId and deviceToken");
                }

                return _persistence.Persist(config, DeviceConfigWriter.WithDeviceToken(config, clientId, token), "clientId and deviceToken");
            }

            string secret = answer["deviceSecret"] as string;
            if (secret == null || secret.Length == 0 || secret.Length > 128)
            {
                return Fail(RegistrationOutcome.MalformedAnswer, 0, "answer on " + topic + " lacks deviceSecret");
            }

            return _persistence.Persist(config, DeviceConfigWriter.WithDeviceSecret(config, secret), "deviceSecret");
        }

        private RegistrationResult Fail(RegistrationOutcome outcome, int code, string detail)
        {
            return RegistrationAnswers.Fail(_log, outcome, code, detail);
        }
    }
}
