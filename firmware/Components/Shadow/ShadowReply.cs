using System.Collections;

namespace AliyunIot.Shadow
{
    /// <summary>
    /// One reply of the device shadow on <c>/shadow/get/{pk}/{dn}</c> (<c>"method":"reply"</c>): the answer to an
    /// update, delete or get. Shadow messages carry no request id, so a reply answers the oldest outstanding
    /// request in practice; <see cref="IsGetReply"/> tells a get's answer (it carries the state) from the others.
    /// </summary>
    public sealed class ShadowReply
    {
        internal ShadowReply(bool success, int errorCode, string errorMessage, long version, bool isGetReply, Hashtable reported, Hashtable desired)
        {
            Success = success;
            ErrorCode = errorCode;
            ErrorMessage = errorMessage;
            Version = version;
            IsGetReply = isGetReply;
            Reported = reported;
            Desired = desired;
        }

        /// <summary>True for <c>payload.status</c> "success".</summary>
        public bool Success { get; private set; }

        /// <summary>200 on success, else <c>payload.content.errorcode</c> (<see cref="ShadowErrorCodes"/>); 0 when absent.</summary>
        public int ErrorCode { get; private set; }

        /// <summary><c>payload.content.errormessage</c> on error, else null.</summary>
        public string ErrorMessage { get; private set; }

        /// <summary>The shadow's version after the request, or -1 when the reply carries none.</summary>
        public long Version { get; private set; }

        /// <summary>True for the answer to a get (it carries <c>payload.state</c>).</summary>
        public bool IsGetReply { get; private set; }

        /// <summary>The shadow's reported state in a get reply, or null.</summary>
        public Hashtable Reported { get; private set; }

        /// <summary>The shadow's desired state in a get reply, or null.</summary>
        public Hashtable Desired { get; private set; }
    }
}
