using AliyunIot.Crypto;
using AliyunIot.Alink;
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
            if (header.PlatformVersion.Length > 0 && header.PlatformVersion != StablePlatform.Version)
            {
                return "the image was built for platform " + header.PlatformVersion + ", this board runs platform " + StablePlatform.Version + " (update the platform with flash.ps1)";
            }

            if (header.Profiles.Length > 0 && settings.BoardProfile.Length > 0 && !ListsProfile(header.Profiles, settings.BoardProfile))
            {
                return "the image is for board profile(s) " + header.Profiles + ", this board is " + settings.BoardProfile;
            }

            long assemblies = header.SignedLength - header.HeaderLength;

            // Assembly.Load keeps each .pe in the heap plus its runtime tables: ~1.08 bytes per .pe byte.
            long heap = assemblies + (assemblies / 12);
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
