using System;
using System.IO;
using System.Text;
using AliyunIot.Ports;
using OtaPartition;

namespace AliyunIot.Config
{
    /// <summary>
    /// <see cref="IConfigStore"/> on the device's flash (<see cref="IFlashStorage"/>: <c>I:\device.json</c> on the
    /// ESP32, a folder on the host): the file <c>flash.ps1</c> provisions as plain JSON and dynamic registration
    /// rewrites. A power cut during a write never loses the config: the device would otherwise be unable to
    /// connect ever again.
    /// </summary>
    /// <remarks>
    /// A write is (1) create, write and flush <c>device.json.new</c>, (2) <see cref="IFlashStorage.Replace"/> it over
    /// <c>device.json</c>, which on the device is a delete followed by a move (nanoFramework's File.Move refuses an
    /// existing target). A cut can only leave these states, and <see cref="Read"/> repairs each before reading:
    /// <c>.new</c> beside the old file (cut before the delete: the old one is whole, the new one maybe torn) →
    /// delete <c>.new</c>; <c>.new</c> alone (cut between delete and move: it was closed, so committed on littlefs,
    /// before the delete began) → finish the move. Both <see cref="Read"/> and <see cref="Write"/> repair first.
    /// Written as plain UTF-8 JSON, so a provisioned file is read as it is.
    /// </remarks>
    public sealed class FlashConfigStore : IConfigStore
    {
        /// <summary>The config's file name on the device's flash.</summary>
        public const string DefaultName = "device.json";

        // device.json is read in one piece; CA certificates inline make it a few KB, this leaves ample room.
        private const int MaxLength = 262144;

        private readonly object _sync = new object();
        private readonly IFlashStorage _storage;
        private readonly string _name;
        private readonly string _newName;

        /// <summary>Creates a store for the file <paramref name="name"/> of <paramref name="storage"/>.</summary>
        public FlashConfigStore(IFlashStorage storage, string name)
        {
            if (storage == null)
            {
                throw new ArgumentNullException("storage");
            }

            if (name == null || name.Length == 0)
            {
                throw new ArgumentNullException("name");
            }

            _storage = storage;
            _name = name;
            _newName = name + ".new";
        }

        /// <summary>The flash volume the file lives on.</summary>
        public IFlashStorage Storage
        {
            get { return _storage; }
        }

        /// <inheritdoc />
        public string Read()
        {
            lock (_sync)
            {
                Recover();
                if (!_storage.Exists(_name))
                {
                    return null;
                }

                byte[] bytes = FlashFiles.ReadAll(_storage, _name, MaxLength);
                if (bytes == null)
                {
                    throw new IOException(_name + " could not be read whole (over " + MaxLength.ToString() + " bytes, or shorter than its length)");
                }

                // A UTF-8 byte order mark (some editors write one) is not part of the JSON.
                int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
                return Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
            }
        }

        /// <inheritdoc />
        public void Write(string json)
        {
            if (json == null)
            {
                throw new ArgumentNullException("json");
            }

            lock (_sync)
            {
                // Repair first: creating .new truncates it at once, and after a cut between the delete and the move
                // it is the only copy of the config.
                Recover();
                byte[] bytes = Encoding.UTF8.GetBytes(json);
                using (IFlashFile file = _storage.OpenCreate(_newName))
                {
                    file.Write(bytes, 0, bytes.Length);
                    file.Flush();
                }

                _storage.Replace(_newName, _name);
            }
        }

        private void Recover()
        {
            if (!_storage.Exists(_newName))
            {
                return;
            }

            if (_storage.Exists(_name))
            {
                // Cut before the old file was deleted: the old one is whole, the new one maybe not.
                _storage.Delete(_newName);
            }
            else
            {
                // Cut between the delete and the move: the new file was flushed before the delete began.
                _storage.Replace(_newName, _name);
            }
        }
    }
}
