using OtaPartition;

namespace AliyunIot.OtaPack
{
    /// <summary>Read-only <see cref="IFlashStorage"/> over a folder, so <c>--verify</c> runs the loader's own checks.</summary>
    internal sealed class FolderStorage : IFlashStorage
    {
        private readonly string _folder;

        public FolderStorage(string folder) => _folder = folder;

        public long Capacity => -1;

        public bool Exists(string name) => File.Exists(Path.Combine(_folder, name));

        public long Length(string name)
        {
            var info = new FileInfo(Path.Combine(_folder, name));
            return info.Exists ? info.Length : -1;
        }

        public IFlashFile OpenRead(string name) => new ReadFile(File.OpenRead(Path.Combine(_folder, name)));

        public IFlashFile OpenCreate(string name) => throw new NotSupportedException();

        public IFlashFile OpenAppend(string name) => throw new NotSupportedException();

        public void Delete(string name) => throw new NotSupportedException();

        public void Replace(string source, string destination) => throw new NotSupportedException();

        private sealed class ReadFile : IFlashFile
        {
            private readonly FileStream _stream;

            public ReadFile(FileStream stream) => _stream = stream;

            public long Length => _stream.Length;

            public int Read(byte[] buffer, int offset, int count) => _stream.Read(buffer, offset, count);

            public void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public void Flush()
            {
            }

            public void Dispose() => _stream.Dispose();
        }
    }
}
