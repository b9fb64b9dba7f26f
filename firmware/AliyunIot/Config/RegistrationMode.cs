namespace AliyunIot.Config
{
    /// <summary>How a device holding only the ProductSecret obtains its own credentials (aliyun-protocol.md §2).</summary>
    public enum RegistrationMode
    {
        /// <summary>No registration: the config holds a deviceSecret or a deviceToken.</summary>
        None = 0,
        /// <summary><c>"https"</c>: POST <c>/auth/register/device</c>; yields a deviceSecret (device pre-registered in the console).</summary>
        Https = 1,
        /// <summary><c>"mqtt"</c>: MQTT <c>authType=register</c>; yields a deviceSecret on <c>/ext/register</c>.</summary>
        Mqtt = 2,
        /// <summary><c>"mqtt-nwl"</c>: MQTT <c>authType=regnwl</c> (no pre-registration); yields clientId + deviceToken on <c>/ext/regnwl</c>.</summary>
        MqttNoPreRegistration = 3,
    }
}
