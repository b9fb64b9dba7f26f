using Xunit;
using OtaPartition;

namespace AliyunIot.Tests.Ota
{
    /// <summary>Thrown by <see cref="FaultInjectingStorage"/> when the simulated power goes out.</summary>
    internal sealed class PowerCutException : Exception
    {
        public PowerCutException(int operation)
            : base("power cut at operation " + operation)
        {
        }
    }

    /// <summary>
    /// Wraps a real storage and counts every operation that changes flash: write, flush, create/truncate,
    /// delete and rename. At operation <see cref="CutAt"/> the power goes out: a write lands only half (a
    /// torn write), any other operation does not happen, and every later operation fails too (the device is
    /// off). With <see cref="CutAt"/> = 0 nothing fails and <see cref="Operations"/> counts a clean run.
    /// </summary>
    internal sealed class FaultInjectingStorage : IFlashStorage
    {
        private readonly IFlashStorage _inner;

        public FaultInjectingStorage(IFlashStorage inner, int cutAt)
        {
            _inner = inner;
            CutAt = cutAt;
        }

        public int CutAt { get; }

        public int Operations { get; private set; }

        public bool PoweredOff { get; private set; }

        public long Capacity => _inner.Capacity;

        public bool Exists(string name) => Alive(() => _inner.Exists(name));

        public long Length(string name) => Alive(() => _inner.Length(name));

        public IFlashFile OpenRead(string name) => Alive(() => _inner.OpenRead(name));

        public IFlashFile OpenCreate(string name)
        {
            Mutate(null);
            return new File(this, _inner.OpenCreate(name));
        }

        public IFlashFile OpenAppend(string name) => Alive(() => (IFlashFile)new File(this, _inner.OpenAppend(name)));

        public void Delete(string name)
        {
            Mutate(null);
            _inner.Delete(name);
        }

        public void Replace(string source, string destination)
        {
            Mutate(null);
            _inner.Replace(source, destination);
        }

        private T Alive<T>(Func<T> action)
        {
            if (PoweredOff)
            {
                throw new PowerCutException(Operations);
            }

            return action();
        }

        /// <summary>Counts one mutating operation; runs <paramref name="torn"/> (the partial effect) when the cut is now.</summary>
        private void Mutate(Action torn)
        {
            if (PoweredOff)
            {
                throw new PowerCutException(Operations);
            }

            Operations++;
            if (Operations == CutAt)
            {
                torn?.Invoke();
                PoweredOff = true;
                throw new PowerCutException(Operations);
            }
        }

        private sealed class File : IFlashFile
        {
            private readonly FaultInjectingStorage _owner;
            private readonly IFlashFile _inner;

            public File(FaultInjectingStorage owner, IFlashFile inner)
            {
                _owner = owner;
                _inner = inner;
            }

            public long Length => _inner.Length;

            public int Read(byte[] buffer, int offset, int count) => _owner.Alive(() => _inner.Read(buffer, offset, count));

            public void Write(byte[] buffer, int offset, int count)
            {
                _owner.Mutate(() =>
                {
                    _inner.Write(buffer, offset, count / 2);
                    _inner.Flush();
                });
                _inner.Write(buffer, offset, count);
            }

            public void Flush()
            {
                _owner.Mutate(null);
                _inner.Flush();
            }

            // Closing releases the handle even after the cut (the test process must not leak handles).
            public void Dispose() => _inner.Dispose();
        }
    }
}
