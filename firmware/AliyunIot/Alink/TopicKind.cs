namespace AliyunIot.Alink
{
    /// <summary>What an incoming topic of this device is, as far as the thing model is concerned.</summary>
    public enum TopicKind
    {
        /// <summary>This device's topic but not the thing model's (OTA, NTP, config ...): let others handle it.</summary>
        NotThing = 0,
        /// <summary>Another device's or product's topic, or not a valid concrete topic: refused.</summary>
        Foreign = 1,
        /// <summary>A thing-model topic whose variable part is unsafe (bad RRPC id, bad identifier): refused, never used to build a topic.</summary>
        Invalid = 2,
        /// <summary>The echo of this device's own publication (e.g. <c>thing/service/{id}_reply</c> matched by <c>thing/service/+</c>): ignored.</summary>
        OwnEcho = 3,
        /// <summary><c>/sys/{pk}/{dn}/thing/service/property/set</c>.</summary>
        PropertySet = 4,
        /// <summary><c>/sys/{pk}/{dn}/thing/service/property/get</c>.</summary>
        PropertyGet = 5,
        /// <summary><c>/sys/{pk}/{dn}/thing/service/{serviceId}</c> (async service).</summary>
        Service = 6,
        /// <summary><c>/sys/{pk}/{dn}/rrpc/request/{messageId}</c> (sync service without ext, or raw system RRPC).</summary>
        SysRrpc = 7,
        /// <summary><c>/ext/rrpc/{messageId}/sys/{pk}/{dn}/thing/service/{serviceId}</c> (sync service with ext).</summary>
        ExtRrpcService = 8,
        /// <summary><c>/ext/rrpc/{messageId}/sys/{pk}/{dn}/thing/model/down_raw</c> (raw sync service).</summary>
        ExtRrpcDownRaw = 9,
        /// <summary><c>/ext/rrpc/{messageId}/{pk}/{dn}/user/…</c> (custom-topic RRPC).</summary>
        ExtRrpcUser = 10,
        /// <summary><c>…/thing/model/down_raw</c>.</summary>
        DownRaw = 11,
        /// <summary><c>…/thing/model/up_raw_reply</c>.</summary>
        UpRawReply = 12,
        /// <summary><c>…/thing/event/{property|eventId}/post_reply</c>, batch and history post replies.</summary>
        PostReply = 13,
        /// <summary><c>/{pk}/{dn}/user/…</c>.</summary>
        User = 14,
        /// <summary><c>/broadcast/{pk}/…</c> (topic broadcast).</summary>
        Broadcast = 15,
        /// <summary><c>/sys/{pk}/{dn}/broadcast/request/{messageId}</c> (product-wide broadcast).</summary>
        ProductBroadcast = 16,
    }
}
