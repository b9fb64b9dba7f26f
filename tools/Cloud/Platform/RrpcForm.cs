namespace AliyunIot.Cloud.Platform
{
    /// <summary>How a synchronous service call reaches the device (aliyun-protocol.md §3.7).</summary>
    public enum RrpcForm
    {
        /// <summary><c>/sys/{pk}/{dn}/rrpc/request/{id}</c> → <c>/sys/{pk}/{dn}/rrpc/response/{id}</c>.</summary>
        System = 0,

        /// <summary><c>/ext/rrpc/{id}/sys/{pk}/{dn}/thing/service/{svc}</c>, answered on the same topic.</summary>
        Ext = 1,
    }
}
