using nanoFramework.M2Mqtt.Messages;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// Turns M2Mqtt's single <see cref="MqttReasonCode"/> enum (which mixes MQTT 3.1.1 CONNACK return codes and
    /// MQTT 5 reason codes) into the wire numbers the core expects in <c>MqttConnectResult.ReasonCode</c>:
    /// 0..5 on MQTT 3.1.1, 0 or 0x80.. on MQTT 5.
    /// Every value is mapped by NAME with an explicit switch, never by casting the enum: the listing does not state
    /// the enum's underlying values, and nanoFramework prints enums as numbers, so a cast would be unverifiable.
    /// </summary>
    internal static class MqttReasonCodes
    {
        /// <summary>MQTT 5 "Unspecified error"; also used for anything this table does not know.</summary>
        public const int Unspecified = 0x80;

        /// <summary>The wire code of <paramref name="code"/> as the broker would have sent it for the protocol in use.</summary>
        /// <param name="code">What M2Mqtt returned from Connect.</param>
        /// <param name="mqtt5">True when the connection used MQTT 5.</param>
        public static int ToWire(MqttReasonCode code, bool mqtt5)
        {
            // The five refusals that exist in both protocol versions come in two spellings; map both to the
            // number of the protocol actually spoken so the supervisor sees one vocabulary.
            switch (code)
            {
                case MqttReasonCode.Success:
                    return 0;
                case MqttReasonCode.ConnectionRefusedUnacceptableProtocolVersion:
                case MqttReasonCode.UnsupportedProtocolVersion:
                    return mqtt5 ? 0x84 : 1;
                case MqttReasonCode.ConnectionRefusedIdentifierRejected:
                case MqttReasonCode.ClientIdentifierNotValid:
                    return mqtt5 ? 0x85 : 2;
                case MqttReasonCode.ConnectionRefusedServerUnavailable:
                case MqttReasonCode.ServerUnavailable:
                    return mqtt5 ? 0x88 : 3;
                case MqttReasonCode.ConnectionRefusedBadUserNameOrPassword:
                case MqttReasonCode.BadUserNameOrPassword:
                    return mqtt5 ? 0x86 : 4;
                case MqttReasonCode.ConnectionRefusedNotAuthorized:
                case MqttReasonCode.NotAuthorized:
                    return mqtt5 ? 0x87 : 5;
                case MqttReasonCode.UnspecifiedError:
                    return 0x80;
                case MqttReasonCode.MalformedPacket:
                    return 0x81;
                case MqttReasonCode.ProtocolError:
                    return 0x82;
                case MqttReasonCode.ImplementationSpecificError:
                    return 0x83;
                case MqttReasonCode.ServerBusy:
                    return 0x89;
                case MqttReasonCode.Banned:
                    return 0x8A;
                case MqttReasonCode.ServeShuttingDown:
                    return 0x8B;
                case MqttReasonCode.BadAuthenticationMethod:
                    return 0x8C;
                case MqttReasonCode.KeepAliveTimeout:
                    return 0x8D;
                case MqttReasonCode.SessionTakenOver:
                    return 0x8E;
                case MqttReasonCode.TopicNameInvalid:
                    return 0x90;
                case MqttReasonCode.PacketTooLarge:
                    return 0x95;
                case MqttReasonCode.MessageRateTooHigh:
                    return 0x96;
                case MqttReasonCode.QuotaExceeded:
                    return 0x97;
                case MqttReasonCode.AdministrativeAction:
                    return 0x98;
                case MqttReasonCode.PayloadFormatInvalid:
                    return 0x99;
                case MqttReasonCode.RetainNotSupported:
                    return 0x9A;
                case MqttReasonCode.QoSNotSupported:
                    return 0x9B;
                case MqttReasonCode.UseAnotherServer:
                    return 0x9C;
                case MqttReasonCode.ServerMoved:
                    return 0x9D;
                case MqttReasonCode.ConnectionRateExceeded:
                    return 0x9F;
                case MqttReasonCode.MaximumConnectTime:
                    return 0xA0;
                default:
                    return Unspecified;
            }
        }

        /// <summary>M2Mqtt's QoS enum for the core's 0/1/2.</summary>
        public static MqttQoSLevel ToQos(int qos)
        {
            if (qos <= 0)
            {
                return MqttQoSLevel.AtMostOnce;
            }

            return qos == 1 ? MqttQoSLevel.AtLeastOnce : MqttQoSLevel.ExactlyOnce;
        }

        /// <summary>The SUBACK number of a granted QoS (0, 1, 2, or 0x80 for a refusal).</summary>
        public static int FromGranted(MqttQoSLevel granted)
        {
            switch (granted)
            {
                case MqttQoSLevel.AtMostOnce:
                    return 0;
                case MqttQoSLevel.AtLeastOnce:
                    return 1;
                case MqttQoSLevel.ExactlyOnce:
                    return 2;
                default:
                    return 0x80;
            }
        }
    }
}
