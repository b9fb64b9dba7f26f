namespace AliyunIot.Alink
{
    /// <summary>
    /// Every topic of one device, built once from its own ProductKey and DeviceName: components never
    /// concatenate topic strings themselves, so nothing can be published under another device's name.
    /// Wire format: aliyun-protocol.md §3.2, §4.1, §3.13, §3.14 (shadow), §3.16 (tags).
    /// </summary>
    public sealed class DeviceTopics
    {
        // "/{pk}/{dn}" and "/{pk}/{dn}/", built once: IsOwn runs for every message in and every publish out.
        private readonly string _devicePath;
        private readonly string _deviceRoot;

        /// <summary>Builds the topics of one device.</summary>
        public DeviceTopics(string productKey, string deviceName)
        {
            ProductKey = productKey;
            DeviceName = deviceName;
            _devicePath = "/" + productKey + "/" + deviceName;
            _deviceRoot = _devicePath + "/";
            SysPrefix = "/sys/" + productKey + "/" + deviceName + "/";
            PropertyPost = SysPrefix + "thing/event/property/post";
            PropertyPostReply = PropertyPost + "_reply";
            EventPostReplyFilter = SysPrefix + "thing/event/+/post_reply";
            PropertySet = SysPrefix + "thing/service/property/set";
            PropertySetReply = PropertySet + "_reply";
            PropertyGet = SysPrefix + "thing/service/property/get";
            PropertyGetReply = PropertyGet + "_reply";
            ServiceFilter = SysPrefix + "thing/service/+";
            ServicePrefix = SysPrefix + "thing/service/";
            RrpcRequestFilter = SysPrefix + "rrpc/request/+";
            RrpcRequestPrefix = SysPrefix + "rrpc/request/";
            RrpcResponsePrefix = SysPrefix + "rrpc/response/";
            ExtRrpcServiceFilter = "/ext/rrpc/+" + SysPrefix + "thing/service/+";
            UpRaw = SysPrefix + "thing/model/up_raw";
            UpRawReply = UpRaw + "_reply";
            DownRaw = SysPrefix + "thing/model/down_raw";
            DownRawReply = DownRaw + "_reply";
            BatchPost = SysPrefix + "thing/event/property/batch/post";
            BatchPostReply = BatchPost + "_reply";
            HistoryPost = SysPrefix + "thing/event/property/history/post";
            HistoryPostReply = HistoryPost + "_reply";
            UserPrefix = _deviceRoot + "user/";
            BroadcastPrefix = "/broadcast/" + productKey + "/";
            ProductBroadcastFilter = SysPrefix + "broadcast/request/+";
            NtpRequest = "/ext/ntp/" + productKey + "/" + deviceName + "/request";
            NtpResponse = "/ext/ntp/" + productKey + "/" + deviceName + "/response";
            OtaInform = "/ota/device/inform/" + productKey + "/" + deviceName;
            OtaUpgrade = "/ota/device/upgrade/" + productKey + "/" + deviceName;
            OtaProgress = "/ota/device/progress/" + productKey + "/" + deviceName;
            OtaFirmwareGet = SysPrefix + "thing/ota/firmware/get";
            OtaFirmwareGetReply = OtaFirmwareGet + "_reply";
            ShadowUpdate = "/shadow/update/" + productKey + "/" + deviceName;
            ShadowGet = "/shadow/get/" + productKey + "/" + deviceName;
            DeviceInfoUpdate = SysPrefix + "thing/deviceinfo/update";
            DeviceInfoUpdateReply = DeviceInfoUpdate + "_reply";
            DeviceInfoDelete = SysPrefix + "thing/deviceinfo/delete";
            DeviceInfoDeleteReply = DeviceInfoDelete + "_reply";
        }

        /// <summary>The device's ProductKey.</summary>
        public string ProductKey { get; private set; }

        /// <summary>The device's DeviceName.</summary>
        public string DeviceName { get; private set; }

        /// <summary><c>/sys/{pk}/{dn}/</c>.</summary>
        public string SysPrefix { get; private set; }

        /// <summary><c>/sys/{pk}/{dn}/thing/event/property/post</c>.</summary>
        public string PropertyPost { get; private set; }

        /// <summary><c>…/thing/event/property/post_reply</c>.</summary>
        public string PropertyPostReply { get; private set; }

        /// <summary><c>…/thing/event/+/post_reply</c> (event and property post replies).</summary>
        public string EventPostReplyFilter { get; private set; }

        /// <summary><c>…/thing/service/property/set</c>.</summary>
        public string PropertySet { get; private set; }

        /// <summary><c>…/thing/service/property/set_reply</c>.</summary>
        public string PropertySetReply { get; private set; }

        /// <summary><c>…/thing/service/property/get</c>.</summary>
        public string PropertyGet { get; private set; }

        /// <summary><c>…/thing/service/property/get_reply</c>.</summary>
        public string PropertyGetReply { get; private set; }

        /// <summary><c>…/thing/service/+</c> (async services).</summary>
        public string ServiceFilter { get; private set; }

        /// <summary><c>…/thing/service/</c>.</summary>
        public string ServicePrefix { get; private set; }

        /// <summary><c>/sys/{pk}/{dn}/rrpc/request/+</c>.</summary>
        public string RrpcRequestFilter { get; private set; }

        /// <summary><c>/sys/{pk}/{dn}/rrpc/request/</c>.</summary>
        public string RrpcRequestPrefix { get; private set; }

        /// <summary><c>/sys/{pk}/{dn}/rrpc/response/</c>.</summary>
        public string RrpcResponsePrefix { get; private set; }

        /// <summary><c>/ext/rrpc/+/sys/{pk}/{dn}/thing/service/+</c>.</summary>
        public string ExtRrpcServiceFilter { get; private set; }

        /// <summary><c>…/thing/model/up_raw</c>.</summary>
        public string UpRaw { get; private set; }

        /// <summary><c>…/thing/model/up_raw_reply</c>.</summary>
        public string UpRawReply { get; private set; }

        /// <summary><c>…/thing/model/down_raw</c>.</summary>
        public string DownRaw { get; private set; }

        /// <summary><c>…/thing/model/down_raw_reply</c>.</summary>
        public string DownRawReply { get; private set; }

        /// <summary><c>…/thing/event/property/batch/post</c>.</summary>
        public string BatchPost { get; private set; }

        /// <summary><c>…/thing/event/property/batch/post_reply</c>.</summary>
        public string BatchPostReply { get; private set; }

        /// <summary><c>…/thing/event/property/history/post</c>.</summary>
        public string HistoryPost { get; private set; }

        /// <summary><c>…/thing/event/property/history/post_reply</c>.</summary>
        public string HistoryPostReply { get; private set; }

        /// <summary><c>/{pk}/{dn}/user/</c> (custom topics).</summary>
        public string UserPrefix { get; private set; }

        /// <summary><c>/broadcast/{pk}/</c> (topic broadcast).</summary>
        public string BroadcastPrefix { get; private set; }

        /// <summary><c>/sys/{pk}/{dn}/broadcast/request/+</c> (product-wide broadcast).</summary>
        public string ProductBroadcastFilter { get; private set; }

        /// <summary><c>/ext/ntp/{pk}/{dn}/request</c>.</summary>
        public string NtpRequest { get; private set; }

        /// <summary><c>/ext/ntp/{pk}/{dn}/response</c>.</summary>
        public string NtpResponse { get; private set; }

        /// <summary><c>/ota/device/inform/{pk}/{dn}</c>.</summary>
        public string OtaInform { get; private set; }

        /// <summary><c>/ota/device/upgrade/{pk}/{dn}</c>.</summary>
        public string OtaUpgrade { get; private set; }

        /// <summary><c>/ota/device/progress/{pk}/{dn}</c>.</summary>
        public string OtaProgress { get; private set; }

        /// <summary><c>/sys/{pk}/{dn}/thing/ota/firmware/get</c>.</summary>
        public string OtaFirmwareGet { get; private set; }

        /// <summary><c>/sys/{pk}/{dn}/thing/ota/firmware/get_reply</c>.</summary>
        public string OtaFirmwareGetReply { get; private set; }

        /// <summary><c>/shadow/update/{pk}/{dn}</c> (device shadow requests: update, get, delete).</summary>
        public string ShadowUpdate { get; private set; }

        /// <summary><c>/shadow/get/{pk}/{dn}</c> (the shadow's replies and desired-state pushes).</summary>
        public string ShadowGet { get; private set; }

        /// <summary><c>/sys/{pk}/{dn}/thing/deviceinfo/update</c> (tags).</summary>
        public string DeviceInfoUpdate { get; private set; }

        /// <summary><c>…/thing/deviceinfo/update_reply</c>.</summary>
        public string DeviceInfoUpdateReply { get; private set; }

        /// <summary><c>/sys/{pk}/{dn}/thing/deviceinfo/delete</c> (tags).</summary>
        public string DeviceInfoDelete { get; private set; }

        /// <summary><c>…/thing/deviceinfo/delete_reply</c>.</summary>
        public string DeviceInfoDeleteReply { get; private set; }

        /// <summary><c>…/thing/event/{eventId}/post</c>.</summary>
        public string EventPost(string eventId)
        {
            return SysPrefix + "thing/event/" + eventId + "/post";
        }

        /// <summary><c>…/thing/service/{serviceId}_reply</c>.</summary>
        public string ServiceReply(string serviceId)
        {
            return ServicePrefix + serviceId + "_reply";
        }

        /// <summary>
        /// True when <paramref name="topic"/> is one this device may publish to or receive on: its own
        /// <c>/sys/{pk}/{dn}/</c>, <c>/{pk}/{dn}/</c>, <c>/ota/device/*/{pk}/{dn}</c>, <c>/shadow/{update|get}/{pk}/{dn}</c>, <c>/ext/*/{pk}/{dn}/…</c>,
        /// <c>/ext/rrpc/{id}/sys/{pk}/{dn}/…</c>, <c>/ext/rrpc/{id}/{pk}/{dn}/…</c> or <c>/broadcast/{pk}/…</c>.
        /// </summary>
        public bool IsOwn(string topic)
        {
            if (topic == null || topic.Length == 0 || topic.Length > MaxIncomingTopicLength)
            {
                return false;
            }

            // Ordinal prefix tests throughout: .NET's culture-aware StartsWith ignores characters such as U+0000.
            if (topic.IndexOf('+') >= 0 || topic.IndexOf('#') >= 0)
            {
                return false;
            }

            if (OrdinalText.StartsWith(topic, SysPrefix) || OrdinalText.StartsWith(topic, _deviceRoot) || OrdinalText.StartsWith(topic, BroadcastPrefix))
            {
                return true;
            }

            if (OrdinalText.StartsWith(topic, "/ota/device/"))
            {
                int cut = topic.IndexOf('/', "/ota/device/".Length);
                return cut > 0 && topic.Length - cut == _devicePath.Length && OrdinalText.EndsWith(topic, _devicePath);
            }

            if (topic == ShadowUpdate || topic == ShadowGet)
            {
                return true;
            }

            if (OrdinalText.StartsWith(topic, "/ext/rrpc/"))
            {
                int cut = topic.IndexOf('/', "/ext/rrpc/".Length);
                if (cut < 0)
                {
                    return false;
                }

                return OrdinalText.StartsWith(topic, cut, SysPrefix) || OrdinalText.StartsWith(topic, cut, _deviceRoot);
            }

            if (OrdinalText.StartsWith(topic, "/ext/"))
            {
                int cut = topic.IndexOf('/', "/ext/".Length);
                return cut > 0 && OrdinalText.StartsWith(topic, cut, _deviceRoot);
            }

            return false;
        }

        /// <summary>The platform's topic length limit for topics a device defines (aliyun-protocol.md §5.2).</summary>
        public const int MaxTopicLength = 128;

        /// <summary>Longest incoming topic accepted: RRPC topics add an id of up to 64 characters to a device topic.</summary>
        public const int MaxIncomingTopicLength = 256;
    }
}
