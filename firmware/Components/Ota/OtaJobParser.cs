using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Crypto;
using AliyunIot.Json;

namespace AliyunIot.Ota
{
    /// <summary>
    /// Turns the <c>data</c> object of a push or of <c>firmware/get_reply</c> into an <see cref="OtaJob"/>, refusing
    /// what this firmware cannot do safely. Supported: a single HTTPS file given by <c>url</c>/<c>size</c>, or a
    /// <c>files</c> array with exactly ONE entry (<c>fileUrl</c>, <c>fileSize</c>, <c>fileSign</c>); digests by
    /// <c>sign</c> + <c>signMethod</c> (MD5/Md5/SHA256/Sha256, any case, length checked) or the legacy <c>md5</c>;
    /// a job naming SHA-256 must carry a SHA-256 <c>sign</c>, and MD5 alone is accepted only with
    /// <c>ota.allowMd5Only</c>.
    /// Refused: several files (an OTA image already bundles every assembly: pack one with otapack), differential
    /// packages (<c>isDiff</c>), MQTT-block downloads (<c>dProtocol</c> mqtt), <c>http://</c> URLs, images larger
    /// than the slot.
    /// </summary>
    public static class OtaJobParser
    {
        /// <summary>Failed upgrade (generic).</summary>
        public const int StepUpgradeFailed = OtaMessages.StepUpgradeFailed;

        /// <summary>Failed download.</summary>
        public const int StepDownloadFailed = -2;

        /// <summary>Failed verification.</summary>
        public const int StepVerifyFailed = -3;

        /// <summary>Failed write to flash.</summary>
        public const int StepWriteFailed = -4;

        /// <summary>Parses and validates a job.</summary>
        /// <param name="data">The <c>data</c> object.</param>
        /// <param name="slotCapacity">Largest image that fits a slot.</param>
        /// <exception cref="OtaJobRefusedException">The job cannot be done; report its step and message.</exception>
        public static OtaJob Parse(Hashtable data, long slotCapacity)
        {
            return Parse(data, slotCapacity, false);
        }

        /// <summary>Parses and validates a job.</summary>
        /// <param name="data">The <c>data</c> object.</param>
        /// <param name="slotCapacity">Largest image that fits a slot.</param>
        /// <param name="allowMd5Only">Accept a job whose only digest is MD5 (<c>ota.allowMd5Only</c>, legacy packages).</param>
        /// <exception cref="OtaJobRefusedException">The job cannot be done; report its step and message.</exception>
        public static OtaJob Parse(Hashtable data, long slotCapacity, bool allowMd5Only)
        {
            OtaJob job = new OtaJob();
            try
            {
                job.Version = JsonValues.GetOptionalString(data, "version");
                if (job.Version == null || job.Version.Length == 0 || job.Version.Length > 64)
                {
                    throw new OtaJobRefusedException(StepUpgradeFailed, "refused: version missing or longer than 64 characters");
                }

                if (OrdinalText.HasControlCharacter(job.Version))
                {
                    // It is logged, informed and stored in the manifest: no line breaks or other control characters.
                    throw new OtaJobRefusedException(StepUpgradeFailed, "refused: version contains control characters");
                }

                job.Module = OtaMessages.ModuleOf(data);
                job.ExtData = JsonValues.GetOptionalObject(data, "extData");
                object isDiff = JsonValues.Get(data, "isDiff");
                long diff;
                if (isDiff != null && JsonValues.TryToLong(isDiff, out diff) && diff != 0)
                {
                    throw new OtaJobRefusedException(StepUpgradeFailed, "refused: differential packages are not supported");
                }

                string protocol = JsonValues.GetOptionalString(data, "dProtocol");
                if (protocol != null && protocol.ToLower() == "mqtt")
                {
                    throw new OtaJobRefusedException(StepUpgradeFailed, "refused: MQTT block download is not supported, use HTTPS");
                }

                string sign = JsonValues.GetOptionalString(data, "sign");
                ArrayList files = JsonValues.GetOptionalArray(data, "files");
                if (files != null && files.Count > 0)
                {
                    if (files.Count > 1)
                    {
                        throw new OtaJobRefusedException(StepUpgradeFailed, "refused: multi-file packages are not supported; pack all assemblies into one OTA image");
                    }

                    Hashtable file = files[0] as Hashtable;
                    if (file == null)
                    {
                        throw new OtaJobRefusedException(StepUpgradeFailed, "refused: files[0] is not an object");
                    }

                    job.Url = JsonValues.GetOptionalString(file, "fileUrl");
                    job.Size = OptionalSize(file, "fileSize");
                    sign = JsonValues.GetOptionalString(file, "fileSign");
                }
                else
                {
                    job.Url = JsonValues.GetOptionalString(data, "url");
                    job.Size = OptionalSize(data, "size");
                }

                if (job.Url == null || job.Url.Length == 0)
                {
                    throw new OtaJobRefusedException(StepDownloadFailed, "refused: no download URL");
                }

                // Ordinal: .NET's culture-aware StartsWith would skip a leading U+0000 the device does not skip.
                if (!OrdinalText.StartsWith(job.Url.ToLower(), "https://"))
                {
                    throw new OtaJobRefusedException(StepDownloadFailed, "refused: only https:// downloads are allowed");
                }

                if (OrdinalText.HasControlCharacter(job.Url))
                {
                    throw new OtaJobRefusedException(StepDownloadFailed, "refused: download URL contains control characters");
                }

                if (job.Size <= 0)
                {
                    throw new OtaJobRefusedException(StepUpgradeFailed, "refused: image size missing");
                }

                if (job.Size > slotCapacity)
                {
                    throw new OtaJobRefusedException(StepUpgradeFailed, "refused: image of " + job.Size.ToString() + " bytes exceeds the slot capacity of " + slotCapacity.ToString() + " bytes");
                }

                ChooseDigest(job, JsonValues.GetOptionalString(data, "signMethod"), sign, JsonValues.GetOptionalString(data, "md5"), allowMd5Only);
                return job;
            }
            catch (JsonFieldException ex)
            {
                throw new OtaJobRefusedException(StepUpgradeFailed, "refused: field " + ex.Field + " " + ex.Expected);
            }
        }

        private static long OptionalSize(Hashtable obj, string name)
        {
            return JsonValues.Get(obj, name) == null ? 0 : JsonValues.GetLong(obj, name);
        }

        // A push naming SHA-256 is held to it: no fallback to the md5 field when sign is missing or malformed. MD5 alone
        // (signMethod MD5, or only the legacy md5 field) is accepted only with the explicit opt-in.
        private static void ChooseDigest(OtaJob job, string signMethod, string sign, string md5, bool allowMd5Only)
        {
            string method = signMethod == null ? null : signMethod.ToLower();
            if (method != null && method != "md5" && method != "sha256")
            {
                throw new OtaJobRefusedException(StepUpgradeFailed, "refused: unsupported signMethod (MD5 and SHA256 are supported)");
            }

            if (method == "sha256")
            {
                if (sign == null || sign.Length == 0)
                {
                    throw new OtaJobRefusedException(StepUpgradeFailed, "refused: signMethod SHA256 without a SHA-256 sign");
                }

                job.DigestKind = OtaDigestKind.Sha256;
                job.Digest = CheckedDigest(sign, 64, "sign");
                return;
            }

            bool hasSign = method == "md5" && sign != null && sign.Length > 0;
            if (!hasSign && (md5 == null || md5.Length == 0))
            {
                throw new OtaJobRefusedException(StepUpgradeFailed, "refused: no digest (sign or md5) to verify the image");
            }

            if (!allowMd5Only)
            {
                throw new OtaJobRefusedException(StepUpgradeFailed, "refused: the job carries only an MD5 digest; upload the package with sign method SHA256 (or set ota.allowMd5Only for legacy jobs)");
            }

            job.DigestKind = OtaDigestKind.Md5;
            job.Digest = hasSign ? CheckedDigest(sign, 32, "sign") : CheckedDigest(md5, 32, "md5");
        }

        private static string CheckedDigest(string hex, int length, string field)
        {
            if (hex.Length != length || !Hex.IsHex(hex))
            {
                throw new OtaJobRefusedException(StepUpgradeFailed, "refused: " + field + " is not a " + length.ToString() + "-digit hex digest");
            }

            return hex.ToLower();
        }
    }
}
