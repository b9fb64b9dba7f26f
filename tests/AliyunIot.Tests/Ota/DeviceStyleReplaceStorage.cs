using OtaPartition;

namespace AliyunIot.Tests.Ota
{
    /// <summary>
    /// An <see cref="IFlashStorage"/> whose Replace is what the ESP32 does (the loader's FlashStorage): delete the
    /// destination, then move the source — two flash operations, so a power cut can fall between them. Everything
    /// else passes through. Wrap a <see cref="FaultInjectingStorage"/> to cut at each of the two steps.
    /// </summary>
    internal sealed class DeviceStyleReplaceStorage : IFlashStorage
    {
        private readonly IFlashStorage _inner;

        public DeviceStyleReplaceStorage(IFlashStorage inner) => _inner = inner;

        public long Capacity => _inner.Capacity;

        public bool Exists(string name) => _inner.Exists(name);

        public long Length(string name) => _inner.Length(name);

        public IFlashFile OpenRead(string name) => _inner.OpenRead(name);

        public IFlashFile OpenCreate(string name) => _inner.OpenCreate(name);

        public IFlashFile OpenAppend(string name) => _inner.OpenAppend(name);

        public void Delete(string name) => _inner.Delete(name);

        public void Replace(string source, string destination)
        {
            _inner.Delete(destination);

            // The destination is gone now, so the inner replace is a plain move.
            _inner.Replace(source, destination);
        }
    }
}
