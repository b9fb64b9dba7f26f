using AliyunIot.Alink;

namespace AliyunIot.RemoteConfig
{
    /// <summary>
    /// The remote config (COTA) topics of one device, built once from the core's <see cref="DeviceTopics"/> so the
    /// core knows nothing of this component. Sources: Alibaba Cloud "Remote configuration" (Alink data formats,
    /// https://help.aliyun.com/document_detail/89308.html); Node SDK aliyun/alibabacloud-iot-device-sdk
    /// <c>src/thing.js</c> getConfig/onConfig; aliyun-protocol.md §3.15.
    /// </summary>
    public sealed class RemoteConfigTopics
    {
        /// <summary>Builds the topics under <c>/sys/{pk}/{dn}/</c>.</summary>
        public RemoteConfigTopics(DeviceTopics device)
        {
            Get = device.SysPrefix + "thing/config/get";
            GetReply = Get + "_reply";
            Push = device.SysPrefix + "thing/config/push";
            PushReply = Push + "_reply";
        }

        /// <summary><c>/sys/{pk}/{dn}/thing/config/get</c> (device asks for the product's config).</summary>
        public string Get { get; private set; }

        /// <summary><c>…/thing/config/get_reply</c> (the platform's answer: configId, configSize, sign, signMethod, url, getType).</summary>
        public string GetReply { get; private set; }

        /// <summary><c>…/thing/config/push</c> (the platform pushes a new config; same fields under <c>params</c>).</summary>
        public string Push { get; private set; }

        /// <summary><c>…/thing/config/push_reply</c> (the device's answer to a push).</summary>
        public string PushReply { get; private set; }
    }
}
