using System;
using AliyunIot.Crypto;
using OtaPartition;

namespace AliyunIot.Ota
{
    /// <summary>
    /// Verifies a downloaded OTA image before activation: its structure (<see cref="OtaImageReader.Validate"/>), the
    /// rules of <see cref="OtaImagePolicy"/>, and its RSASSA-PKCS1-v1_5 SHA-256 signature with the public key in
    /// <see cref="StablePlatform.SigningKeyFile"/> on I:\ (written by flash.ps1, never by OTA). Reads the slot from
    /// flash, so what is verified is what the loader will run. One SHA-256 pass over the image and one RSA
    /// verification (17 modular multiplications); no allocation proportional to the image.
    /// </summary>
    internal sealed class OtaSignatureCheck
    {
        private const int MaxKeyFileBytes = 4096;

        private readonly SlotStore _store;
        private readonly OtaSettings _settings;

        /// <summary>Creates the check over the slot store (whose storage also holds the key file).</summary>
        internal OtaSignatureCheck(SlotStore store, OtaSettings settings)
        {
            _store = store;
            _settings = settings;
        }

        /// <summary>The refusal for a header, or null (the signature itself is not checked here).</summary>
        internal OtaOutcome CheckHeader(OtaImageHeader header, OtaJob job, string runningVersion)
        {
            string problem;
            RsaPublicKey key = LoadKey(out problem);
            return OtaImagePolicy.CheckHeader(header, job, runningVersion, RunningCounter(), key, problem, _settings);
        }

        /// <summary>
        /// Checks the completely downloaded image in the inactive slot. Returns null when it may be activated
        /// (<paramref name="signatureCrc"/> then names the verified signature for the manifest), else the refusal.
        /// </summary>
        internal OtaOutcome Verify(OtaJob job, string runningVersion, byte[] buffer, out uint signatureCrc)
        {
            signatureCrc = 0;
            string fileName = SlotStore.SlotFileName(_store.ReadManifest().InactiveSlot);
            OtaImageHeader header;
            try
            {
                header = OtaImageReader.Validate(_store.Storage, fileName, buffer);
            }
            catch (OtaImageException ex)
            {
                return new OtaOutcome(OtaJobParser.StepVerifyFailed, "not a valid OTA image: " + ex.Message);
            }

            string problem;
            RsaPublicKey key = LoadKey(out problem);
            OtaOutcome refused = OtaImagePolicy.CheckHeader(header, job, runningVersion, RunningCounter(), key, problem, _settings);
            if (refused != null)
            {
                return refused;
            }

            byte[] signature = new byte[header.SignatureLength];
            byte[] digest = DigestAndSignature(fileName, header, buffer, signature);
            if (digest == null)
            {
                return new OtaOutcome(OtaJobParser.StepVerifyFailed, "the image could not be read back for its signature check");
            }

            if (!key.VerifySha256(digest, signature))
            {
                return new OtaOutcome(OtaJobParser.StepVerifyFailed, "signature check failed: the image was not signed by key " + key.KeyIdHex);
            }

            signatureCrc = header.SignatureCrc32;
            return null;
        }

        /// <summary>The trusted key, or null with the reason.</summary>
        internal RsaPublicKey LoadKey(out string problem)
        {
            IFlashStorage storage = _store.Storage;
            string name = StablePlatform.SigningKeyFile;
            long length = storage.Length(name);
            if (length < 0)
            {
                problem = name + " is missing on I:\\ (deploy the public key with flash.ps1)";
                return null;
            }

            byte[] bytes = length == 0 ? null : FlashFiles.ReadAll(storage, name, MaxKeyFileBytes);
            if (bytes == null)
            {
                problem = name + " is empty, too large or unreadable";
                return null;
            }

            string error;
            RsaPublicKey key = RsaPublicKey.FromPem(System.Text.Encoding.UTF8.GetString(bytes, 0, bytes.Length), out error);
            problem = key == null ? name + ": " + error : null;
            return key;
        }

        /// <summary>The counter a new image must reach: the highest confirmed one, or the running image's own.</summary>
        private long RunningCounter()
        {
            SlotManifest manifest = _store.ReadManifest();
            long counter = manifest.CounterFloor > manifest.ActiveCounter ? manifest.CounterFloor : manifest.ActiveCounter;
            try
            {
                long running = OtaImageReader.ReadHeader(_store.Storage, SlotStore.SlotFileName(manifest.ActiveSlot)).SecurityCounter;
                return running > counter ? running : counter;
            }
            catch (OtaImageException)
            {
                return counter;
            }
        }

        private byte[] DigestAndSignature(string fileName, OtaImageHeader header, byte[] buffer, byte[] signature)
        {
            Sha256 sha = new Sha256();
            IFlashFile file = _store.Storage.OpenRead(fileName);
            try
            {
                if (!FlashHashing.Append(file, sha, header.SignedLength, buffer))
                {
                    return null;
                }

                OtaImageReader.ReadExactly(file, signature, 0, signature.Length);
            }
            catch (Exception)
            {
                return null;
            }
            finally
            {
                file.Dispose();
            }

            return sha.Finish();
        }
    }
}
