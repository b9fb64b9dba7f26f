using OtaPartition;

namespace AliyunIot.HostPorts.Storage
{
    /// <summary>
    /// <see cref="IFlashStorage"/> over a folder of the PC: the simulated <c>I:\</c>. Replace is an atomic
    /// rename (<see cref="File.Move(string, string, bool)"/>), Flush goes to the disk.
    /// </summary>
    public sealed class FileFlashStorage : IFlashStorage
    {
        private readonly string _folder;

        /// <summary>Uses <paramref name="folder"/> (created when missing).</summary>
        /// <param name="folder">Folder of the files.</param>
        /// <param name="capacity">What <see cref="Capacity"/> reports (the device's volume size), -1 for unknown.</param>
        public FileFlashStorage(string folder, long capacity = 256 * 1024)
        {
            _folder = folder;
            Capacity = capacity;
            Directory.CreateDirectory(folder);
        }

        /// <summary>The folder.</summary>
        public string Folder => _folder;

        /// <inheritdoc />
        public long Capacity { get; }

        /// <inheritdoc />
        public bool Exists(string name) => File.Exists(PathOf(name));

        /// <inheritdoc />
        public long Length(string name)
        {
            var info = new FileInfo(PathOf(name));
            return info.Exists ? info.Length : -1;
        }

        /// <inheritdoc />
        public IFlashFile OpenRead(string name) =>
            new FlashFile(new FileStream(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.Read, 1));

        /// <inheritdoc />
        public IFlashFile OpenCreate(string name) =>
            new FlashFile(new FileStream(PathOf(name), FileMode.Create, FileAccess.Write, FileShare.Read, 1));

        /// <inheritdoc />
        public IFlashFile OpenAppend(string name) =>
            new FlashFile(new FileStream(PathOf(name), FileMode.Append, FileAccess.Write, FileShare.Read, 1));

        /// <inheritdoc />
        public void Delete(string name) => File.Delete(PathOf(name));

        /// <inheritdoc />
        public void Replace(string source, string destination) => File.Move(PathOf(source), PathOf(destination), true);

        private string PathOf(string name)
        {
            if (string.IsNullOrEmpty(name) || name.IndexOfAny(['/', '\\']) >= 0 || name == "." || name == "..")
            {
                throw new ArgumentException("flash file names are plain names", nameof(name));
            }

            return Path.Combine(_folder, name);
        }

        private sealed class FlashFile : IFlashFile
        {
            private readonly FileStream _stream;

            public FlashFile(FileStream stream) => _stream = stream;

            public long Length => _stream.Length;

            public int Read(byte[] buffer, int offset, int count) => _stream.Read(buffer, offset, count);

            public void Write(byte[] buffer, int offset, int count) => _stream.Write(buffer, offset, count);

            public void Flush() => _stream.Flush(true);

            public void Dispose() => _stream.Dispose();
        }
    }
}
