namespace AliyunIot.HostPorts.Mqtt
{
    /// <summary>
    /// Optional extension of the core's listener for host code: when the listener given to
    /// <see cref="MosquittoTransport.Connect"/> implements it, every PUBLISH goes to <see cref="OnMessageDetails"/>
    /// INSTEAD of <see cref="AliyunIot.Ports.IMqttTransportListener.OnMessage"/>. Same rules: never block, never throw.
    /// </summary>
    public interface IMqttMessageDetailsListener : AliyunIot.Ports.IMqttTransportListener
    {
        /// <summary>A PUBLISH arrived.</summary>
        void OnMessageDetails(MqttReceivedMessage message);
    }
}
