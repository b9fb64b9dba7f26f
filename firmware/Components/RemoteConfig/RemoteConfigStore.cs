using System;
using AliyunIot.Crypto;
using OtaPartition;

namespace AliyunIot.RemoteConfig
{
    /// <summary>
    /// The last good config on the device's flash, kept so that it survives reboots and power cuts.
    /// Files: <c>rconfig.bin</c> (the applied config), <c>rconfig.bin.new</c> (a download being checked or applied)
    /// and the record <c>rconfig.rec</c> (configId, size, sign; written with <see cref="RecordFiles"/>: temp, flush,
    /// close, replace).
    /// </summary>
    /// <remarks>
    /// Commit order: the candidate is complete, flushed and verified; then the record is rewritten for it; then the
    /// candidate replaces the config (on the device a delete followed by a move, because littlefs' File.Move refuses
    /// an existing target). <see cref="Load"/> trusts a file only when its size and SHA-256 match the record: a cut
    /// before the record leaves the old record and the old file (the candidate is deleted); a cut after it leaves
    /// the record of the new file and the candidate, which is then moved into place. A damaged file is never handed
    /// to the application.
    /// </remarks>
    public sealed class RemoteConfigStore
    {
        /// <summary>The applied config.</summary>
        public const string FileName = "rconfig.bin";

        /// <summary>The candidate (download in progress, or verified and being applied).</summary>
        public const string CandidateName = "rconfig.bin.new";

        /// <summary>The record naming the applied config.</summary>
        public const string RecordName = "rconfig.rec";

        private readonly IFlashStorage _storage;

        /// <summary>Creates the store on <paramref name="storage"/> (the same flash the OTA slots use).</summary>
        public RemoteConfigStore(IFlashStorage storage)
        {
            if (storage == null)
            {
                throw new ArgumentNullException("storage");
            }

            _storage = storage;
        }

        /// <summary>The id of the applied config from the record, or null when none was ever applied.</summary>
        public string CurrentId
        {
            get
            {
                FlashRecord record = RecordFiles.Read(_storage, RecordName);
                return record == null ? null : record.Get("configId");
            }
        }

        /// <summary>Creates (or truncates) the candidate file for a download.</summary>
        public IFlashFile CreateCandidate()
        {
            return _storage.OpenCreate(CandidateName);
        }

        /// <summary>The candidate as a file the application can read (after it was verified).</summary>
        internal RemoteConfigFile Candidate(RemoteConfigOffer offer, RemoteConfigSource source)
        {
            return new RemoteConfigFile(_storage, CandidateName, offer.ConfigId, offer.Size, offer.Sign, source);
        }

        /// <summary>Deletes the candidate (refused, damaged or abandoned).</summary>
        public void DiscardCandidate()
        {
            _storage.Delete(CandidateName);
        }

        /// <summary>Makes the verified candidate the applied config (see the class remarks for the order).</summary>
        public void Commit(RemoteConfigOffer offer)
        {
            FlashRecord record = new FlashRecord();
            record.Set("configId", offer.ConfigId);
            record.SetLong("size", offer.Size);
            record.Set("sign", offer.Sign);
            RecordFiles.Write(_storage, RecordName, record);
            _storage.Replace(CandidateName, FileName);
        }

        /// <summary>
        /// The applied config, verified against its record (finishing a commit a power cut interrupted), or null when
        /// there is none or it is damaged (<paramref name="problem"/> says which).
        /// </summary>
        /// <param name="buffer">Scratch buffer for hashing.</param>
        /// <param name="problem">null, or why no config could be loaded although one was recorded.</param>
        public RemoteConfigFile Load(byte[] buffer, out string problem)
        {
            problem = null;
            FlashRecord record = RecordFiles.Read(_storage, RecordName);
            if (record == null)
            {
                _storage.Delete(CandidateName);
                return null;
            }

            string id = record.Get("configId");
            long size = record.GetLong("size", -1);
            string sign = record.Get("sign");
            if (id == null || size <= 0 || sign == null)
            {
                problem = "the config record is incomplete";
                return null;
            }

            if (Matches(FileName, size, sign, buffer))
            {
                _storage.Delete(CandidateName);
                return new RemoteConfigFile(_storage, FileName, id, size, sign, RemoteConfigSource.Stored);
            }

            if (Matches(CandidateName, size, sign, buffer))
            {
                // A power cut between the record and the replace: finish the commit.
                _storage.Replace(CandidateName, FileName);
                return new RemoteConfigFile(_storage, FileName, id, size, sign, RemoteConfigSource.Stored);
            }

            problem = "the stored config " + id + " is missing or damaged (size or SHA-256 differ from its record)";
            return null;
        }

        /// <summary>Forgets the applied config (record and files).</summary>
        public void Clear()
        {
            RecordFiles.Delete(_storage, RecordName);
            _storage.Delete(FileName);
            _storage.Delete(CandidateName);
        }

        private bool Matches(string name, long size, string sign, byte[] buffer)
        {
            if (_storage.Length(name) != size)
            {
                return false;
            }

            Sha256 hash = new Sha256();
            IFlashFile file = _storage.OpenRead(name);
            try
            {
                long remaining = size;
                while (remaining > 0)
                {
                    int read = file.Read(buffer, 0, remaining < buffer.Length ? (int)remaining : buffer.Length);
                    if (read <= 0)
                    {
                        return false;
                    }

                    hash.Append(buffer, 0, read);
                    remaining -= read;
                }
            }
            finally
            {
                file.Dispose();
            }

            return Hex.DigestEquals(hash.Finish(), sign);
        }
    }
}
