// The public surface of nanoFramework.M2Mqtt 5.1.220 that M2MqttTransport uses, for the host: the device adapter
// (firmware/Esp32App/M2MqttTransport.cs, linked into this project) compiles unchanged against it. Names, enum values
// and exception wrapping follow the library's sources at v5.1.220; behaviour lives in MqttClient.cs and
// ScriptedBroker.cs. Only what the adapter touches is here.
#pragma warning disable CA1711, CA1720
using System.Collections;

namespace nanoFramework.M2Mqtt
{
    public enum MqttProtocolVersion
    {
        Version_3_1 = 0x03,
        Version_3_1_1 = 0x04,
        Version_5 = 0x05,
    }

    public enum MqttSslProtocols
    {
        None,
        SSLv3,
        TLSv1_0,
        TLSv1_1,
        TLSv1_2,
        TLSv1_3,
    }

    /// <summary>MqttSettings: a process-wide singleton in M2Mqtt; retries 3 × 1 s, 30 s receive timeout.</summary>
    public sealed class MqttSettings
    {
        public const int DefaultTimeout = 30_000;
        public const int MaximumAttemptsRetry = 3;
        public const int DefaultDelayRetry = 1_000;

        public static MqttSettings Instance { get; } = new MqttSettings();

        public int AttemptsOnRetry => MaximumAttemptsRetry;

        public int DelayOnRetry => DefaultDelayRetry;

        public int TimeoutOnReceiving => DefaultTimeout;

        public bool ValidateServerCertificate { get; set; }
    }
}

namespace nanoFramework.M2Mqtt.Messages
{
    public enum MqttQoSLevel : byte
    {
        AtMostOnce = 0x00,
        AtLeastOnce = 0x01,
        ExactlyOnce = 0x02,
        GrantedFailure = 0x80,
    }

    public enum MqttReasonCode : byte
    {
        Success = 0x00,
        NormalDisconnection = 0x00,
        DisconnectWithWillMessage = 0x04,
        NoMatchingSubscribers = 0x10,
        NoSubscriptionExisted = 0x11,
        ContinueAuthentication = 0x18,
        ReAuthenticate = 0x19,
        UnspecifiedError = 0x80,
        MalformedPacket = 0x81,
        ProtocolError = 0x82,
        ImplementationSpecificError = 0x83,
        UnsupportedProtocolVersion = 0x84,
        ClientIdentifierNotValid = 0x85,
        BadUserNameOrPassword = 0x86,
        NotAuthorized = 0x87,
        ServerUnavailable = 0x88,
        ServerBusy = 0x89,
        Banned = 0x8A,
        ServeShuttingDown = 0x8B,
        BadAuthenticationMethod = 0x8C,
        KeepAliveTimeout = 0x8D,
        SessionTakenOver = 0x8E,
        TopicFilterInvalid = 0x8F,
        TopicNameInvalid = 0x90,
        PacketIdentifierInUse = 0x91,
        PacketIdentifierNotFound = 0x92,
        ReceiveMaximumExceeded = 0x93,
        TopicAliasInvalid = 0x94,
        PacketTooLarge = 0x95,
        MessageRateTooHigh = 0x96,
        QuotaExceeded = 0x97,
        AdministrativeAction = 0x98,
        PayloadFormatInvalid = 0x99,
        RetainNotSupported = 0x9A,
        QoSNotSupported = 0x9B,
        UseAnotherServer = 0x9C,
        ServerMoved = 0x9D,
        SharedSubscriptionsNotSupported = 0x9E,
        ConnectionRateExceeded = 0x9F,
        MaximumConnectTime = 0xA0,
        SubscriptionIdentifiersNotSupported = 0xA1,
        WildcardSubscriptionsNotSupported = 0xA2,
        ConnectionRefusedUnacceptableProtocolVersion = 0x01,
        ConnectionRefusedIdentifierRejected = 0x02,
        ConnectionRefusedServerUnavailable = 0x03,
        ConnectionRefusedBadUserNameOrPassword = 0x04,
        ConnectionRefusedNotAuthorized = 0x05,
    }

    public sealed class MqttMsgConnack
    {
        public MqttReasonCode ReturnCode { get; set; }
    }

    public sealed class MqttMsgDisconnect
    {
        public MqttReasonCode ResonCode { get; set; }
    }

    public sealed class ConnectionOpenedEventArgs : EventArgs
    {
        public ConnectionOpenedEventArgs(MqttMsgConnack connack) { Message = connack; }

        public MqttMsgConnack Message { get; }
    }

    public sealed class ConnectionClosedRequestEventArgs : EventArgs
    {
        public ConnectionClosedRequestEventArgs(MqttMsgDisconnect disconnect) { Message = disconnect; }

        public MqttMsgDisconnect Message { get; }
    }

    public sealed class MqttMsgPublishEventArgs : EventArgs
    {
        public MqttMsgPublishEventArgs(string topic, byte[] message) { Topic = topic; Message = message; }

        public string Topic { get; }

        public byte[] Message { get; }
    }

    public sealed class MqttMsgPublishedEventArgs : EventArgs
    {
        public MqttMsgPublishedEventArgs(ushort messageId, bool isPublished) { MessageId = messageId; IsPublished = isPublished; }

        public ushort MessageId { get; set; }

        public bool IsPublished { get; set; }
    }

    public sealed class MqttMsgSubscribedEventArgs : EventArgs
    {
        public MqttMsgSubscribedEventArgs(ushort messageId, MqttQoSLevel[] granted) { MessageId = messageId; GrantedQoSLevels = granted; }

        public ushort MessageId { get; }

        public MqttQoSLevel[] GrantedQoSLevels { get; }
    }

    public sealed class UserProperty
    {
        public UserProperty(string name, string value) { Name = name; Value = value; }

        public string Name { get; }

        public string Value { get; }
    }
}

namespace nanoFramework.M2Mqtt.Exceptions
{
    public enum MqttClientErrorCode
    {
        WillWrong = 1,
        KeepAliveWrong,
        TopicWildcard,
        TopicLength,
        QosNotAllowed,
        TopicsEmpty,
        QosLevelsEmpty,
        TopicsQosLevelsNotMatch,
        WrongBrokerMessage,
        WrongMessageId,
        InflightQueueFull,
        InvalidFlagBits,
        InvalidConnectFlags,
        InvalidClientId,
        InvalidProtocolName,
    }

    public sealed class MqttClientException : Exception
    {
        public MqttClientException(MqttClientErrorCode errorCode) { ErrorCode = errorCode; }

        public MqttClientErrorCode ErrorCode { get; set; }
    }

    public sealed class MqttCommunicationException : Exception
    {
        public MqttCommunicationException() { }

        public MqttCommunicationException(Exception e) : base(string.Empty, e) { }
    }

    public sealed class MqttConnectionException : Exception
    {
        public MqttConnectionException(string message, Exception innerException) : base(message, innerException) { }
    }
}
