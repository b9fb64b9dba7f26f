using AliyunIot.Config;
using AliyunIot.Crypto;
using System.Collections;
using AliyunIot.Alink;
using AliyunIot.Json;
using OtaPartition;

namespace AliyunIot.Ota
{
    /// <summary>
    /// What an OTA image must be before it may run, decided from the job and the image's (signed) header: its
    /// version equals the job's and is not older than the running one, its security counter is not below the
    /// running one (unless <see cref="OtaSettings.AllowDowngrade"/>), it is signed with the key the device trusts,
    /// and it fits this board (platform version, profile, heap). The signature itself is
    /// <see cref="OtaSignatureCheck"/>'s job.
    /// </summary>
    internal static class OtaImagePolicy
    {
        /// <summary>Refusal text for a job whose version is older than the running one, or null. Checked before any download.</summary>
        internal static string CheckJobVersion(string jobVersion, string runningVersion, OtaSettings settings)
        {
            if (settings.AllowDowngrade || runningVersion == null || runningVersion.Length == 0)
            {
                return null;
            }

            return OtaVersion.Compare(jobVersion, runningVersion) < 0
                ? "refused: version " + jobVersion + " is older than the running " + runningVersion + " (downgrades need ota.allowDowngrade)"
                : null;
        }

        /// <summary>The refusal for <paramref name="header"/>, or null when it may be verified and installed.</summary>
        /// <param name="header">The image header (from the first bytes of the download or from the slot).</param>
        /// <param name="job">The job.</param>
        /// <param name="runningVersion">Version of the running image.</param>
        /// <param name="runningCounter">Security counter the new image must reach.</param>
        /// <param name="key">The trusted key, or null.</param>
        /// <param name="keyProblem">Why there is no key (when <paramref name="key"/> is null).</param>
        /// <param name="settings">The ota settings.</param>
        internal static OtaOutcome CheckHeader(OtaImageHeader header, OtaJob job, string runningVersion, long runningCounter, RsaPublicKey key, string keyProblem, OtaSettings settings)
        {
            if (header.Version != job.Version)
            {
                return OtaOutcome.Discarding(OtaJobParser.StepVerifyFailed, "the image header says version " + header.Version + ", the job " + job.Version);
            }

            string misfit = CheckFit(header, settings);
            if (misfit != null)
            {
                return OtaOutcome.Discarding(OtaJobParser.StepUpgradeFailed, "refused: " + misfit);
            }

            if (!header.IsSigned)
            {
                return OtaOutcome.Discarding(OtaJobParser.StepVerifyFailed, "the image is not signed (pack it with otapack --key)");
            }

            if (key == null)
            {
                return OtaOutcome.Discarding(OtaJobParser.StepVerifyFailed, "no OTA signing key on the device: " + keyProblem);
            }

            if (!Hex.FixedTimeEquals(header.KeyId, key.KeyId) || header.SignatureLength != key.SignatureLength)
            {
                return OtaOutcome.Discarding(OtaJobParser.StepVerifyFailed, "the image is signed with key " + Hex.ToLower(header.KeyId) + ", the device trusts key " + key.KeyIdHex);
            }

            if (header.SecurityCounter < runningCounter && !settings.AllowDowngrade)
            {
                return OtaOutcome.Discarding(OtaJobParser.StepVerifyFailed, "security counter " + header.SecurityCounter.ToString() + " is below the running " + runningCounter.ToString() + " (anti-rollback)");
            }

            string older = CheckJobVersion(header.Version, runningVersion, settings);
            return older == null ? null : OtaOutcome.Discarding(OtaJobParser.StepUpgradeFailed, older);
        }

        /// <summary>Why the image does not fit this board, or null.</summary>
        private static string CheckFit(OtaImageHeader header, OtaSettings settings)
        {
            long assemblies = header.SignedLength - header.HeaderLength;
            return CheckFit(header.PlatformVersion, header.Profiles, assemblies, settings);
        }

        /// <summary>
        /// Refusal text for a job whose <c>extData</c> (what <c>otapack</c> prints for the console: <c>otaPlatform</c>,
        /// <c>otaProfiles</c>, <c>otaHeap</c>) says the image does not fit this board, or null. Checked before any
        /// download; unsigned information, so it can only refuse — the signed header is checked again on arrival.
        /// </summary>
        internal static string CheckJobFit(Hashtable extData, OtaSettings settings)
        {
            string noCodeOta = CheckCodeOta(settings);
            if (noCodeOta != null)
            {
                return "refused before download: " + noCodeOta;
            }

            if (extData == null)
            {
                return null;
            }

            string platform = extData["otaPlatform"] as string;
            string profiles = extData["otaProfiles"] as string;
            object heapValue = extData["otaHeap"];
            long heap;
            if (!JsonValues.TryToLong(heapValue, out heap))
            {
                heap = Digits(heapValue as string);
            }

            string misfit = CheckFitValues(platform == null ? string.Empty : platform, profiles == null ? string.Empty : profiles, heap, settings);
            return misfit == null ? null : "refused before download: " + misfit;
        }

        /// <summary>
        /// Why this board takes no code image at all, or null: its profile (docs/board.md) has code OTA off because
        /// no application tier fits its heap; its behaviour changes through remote config, its code through flash.ps1.
        /// </summary>
        private static string CheckCodeOta(OtaSettings settings)
        {
            BoardProfile profile = settings.BoardProfile.Length == 0 ? null : BoardProfile.Find(settings.BoardProfile);
            if (profile == null || profile.CodeOta)
            {
                return null;
            }

            return "the " + profile.Name + " profile takes no code update over the air (its heap cannot hold an application tier);"
                + " code changes need flash.ps1, behaviour changes come through remote config";
        }

        // The console's extData values are strings: a plain decimal number, else 0 (not checked).
        private static long Digits(string text)
        {
            if (text == null || text.Length == 0 || text.Length > 12)
            {
                return 0;
            }

            long value = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] < '0' || text[i] > '9')
                {
                    return 0;
                }

                value = (value * 10) + (text[i] - '0');
            }

            return value;
        }

        /// <summary>Heap an image of <paramref name="assemblyBytes"/> .pe bytes takes once loaded (~1.08 per byte).</summary>
        internal static long HeapOf(long assemblyBytes)
        {
            // Assembly.Load keeps each .pe in the heap plus its runtime tables.
            return assemblyBytes + (assemblyBytes / 12);
        }

        private static string CheckFit(string platform, string profiles, long assemblyBytes, OtaSettings settings)
        {
            return CheckFitValues(platform, profiles, HeapOf(assemblyBytes), settings);
        }

        private static string CheckFitValues(string platform, string profiles, long heap, OtaSettings settings)
        {
            if (platform.Length > 0 && platform != StablePlatform.Version)
            {
                return "the image was built for platform " + platform + ", this board runs platform " + StablePlatform.Version + " (update the platform with flash.ps1)";
            }

            if (profiles.Length > 0 && settings.BoardProfile.Length > 0 && !ListsProfile(profiles, settings.BoardProfile))
            {
                return "the image is for board profile(s) " + profiles + ", this board is " + settings.BoardProfile;
            }

            if (settings.ImageHeapBudget > 0 && heap > settings.ImageHeapBudget)
            {
                return "the image needs about " + heap.ToString() + " bytes of heap once loaded, this board has " + settings.ImageHeapBudget.ToString();
            }

            return null;
        }

        private static bool ListsProfile(string profiles, string profile)
        {
            int start = 0;
            while (start <= profiles.Length)
            {
                int end = profiles.IndexOf(',', start);
                if (end < 0)
                {
                    end = profiles.Length;
                }

                int from = start;
                int to = end;
                while (from < to && profiles[from] == ' ')
                {
                    from++;
                }

                while (to > from && profiles[to - 1] == ' ')
                {
                    to--;
                }

                if (to - from == profile.Length && OrdinalText.StartsWith(profiles, from, profile))
                {
                    return true;
                }

                start = end + 1;
            }

            return false;
        }
    }
}
