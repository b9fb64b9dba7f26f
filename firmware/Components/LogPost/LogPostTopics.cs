using AliyunIot.Alink;

namespace AliyunIot.LogPost
{
    /// <summary>
    /// The device log topics of one device, built from the core's <see cref="DeviceTopics"/>. Source: Link SDK 4.x
    /// <c>components/logpost/logpost_private.h</c> (LOGPOST_POST_TOPIC_FMT, LOGPOST_CONFIG_GET_TOPIC_FMT,
    /// LOGPOST_CONFIG_PUSH_TOPIC, LOGPOST_CONFIG_GET_REPLY_TOPIC) and Alibaba Cloud "Report device logs"
    /// (https://help.aliyun.com/document_detail/159857.html); aliyun-protocol.md §3.17.
    /// </summary>
    public sealed class LogPostTopics
    {
        /// <summary>Builds the topics under <c>/sys/{pk}/{dn}/</c>.</summary>
        public LogPostTopics(DeviceTopics device)
        {
            Post = device.SysPrefix + "thing/log/post";
            ConfigGet = device.SysPrefix + "thing/config/log/get";
            ConfigGetReply = ConfigGet + "_reply";
            ConfigPush = device.SysPrefix + "thing/config/log/push";
        }

        /// <summary><c>/sys/{pk}/{dn}/thing/log/post</c> (the device's log lines, an array under params).</summary>
        public string Post { get; private set; }

        /// <summary><c>…/thing/config/log/get</c> (the device asks whether to post logs).</summary>
        public string ConfigGet { get; private set; }

        /// <summary><c>…/thing/config/log/get_reply</c> (<c>data.content.mode</c>: 0 off, 1 on).</summary>
        public string ConfigGetReply { get; private set; }

        /// <summary><c>…/thing/config/log/push</c> (the console's switch; <c>params.content.mode</c>).</summary>
        public string ConfigPush { get; private set; }
    }
}
