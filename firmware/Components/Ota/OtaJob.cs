using System.Collections;

namespace AliyunIot.Ota
{
    /// <summary>Digest algorithm of an OTA job.</summary>
    public enum OtaDigestKind
    {
        /// <summary>MD5 (32 hex digits).</summary>
        Md5 = 0,

        /// <summary>SHA-256 (64 hex digits).</summary>
        Sha256 = 1,
    }

    /// <summary>One firmware job as the platform pushed it (<c>/ota/device/upgrade</c> or <c>firmware/get_reply</c>), validated.</summary>
    public sealed class OtaJob
    {
        /// <summary>Target version.</summary>
        public string Version;

        /// <summary>HTTPS URL of the image (pre-signed; may expire and be refreshed). Never logged with its query.</summary>
        public string Url;

        /// <summary>Exact size of the image in bytes.</summary>
        public long Size;

        /// <summary>Digest algorithm.</summary>
        public OtaDigestKind DigestKind;

        /// <summary>Expected digest, lower-case hex.</summary>
        public string Digest;

        /// <summary>OTA module (the default module when the push had none).</summary>
        public string Module;

        /// <summary>The console's extData object, or null (kept for the application; not interpreted).</summary>
        public Hashtable ExtData;

        /// <summary>Identifies the job across pushes, URL refreshes and reboots: version, algorithm and digest.</summary>
        public string Tag
        {
            get { return Version + "|" + (DigestKind == OtaDigestKind.Md5 ? "md5" : "sha256") + "|" + Digest; }
        }

        /// <summary>The URL without its query string (safe to log: OSS signatures live in the query).</summary>
        public string UrlForLog
        {
            get
            {
                int q = Url == null ? -1 : Url.IndexOf('?');
                return q >= 0 ? Url.Substring(0, q) : Url;
            }
        }
    }
}
