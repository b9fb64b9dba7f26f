using OtaPartition;

namespace AliyunIot.Tests.Ota
{
    /// <summary>
    /// The ESP32's <c>I:\</c> as littlefs and nanoFramework make it, in RAM, with a power cut injectable at any
    /// flash operation. What survives a cut is only what littlefs COMMITTED:
    /// <list type="bullet">
    /// <item>Data written to an open file is committed when the file is closed (littlefs commits on
    ///   <c>lfs_file_close</c>/<c>lfs_file_sync</c>; esp_littlefs only syncs on every write with
    ///   <c>CONFIG_LITTLEFS_FLUSH_FILE_EVERY_WRITE</c>, which nanoFramework does not set): Flush is not durable. A cut
    ///   leaves the file as of its last close, whatever was written after.</item>
    /// <item>Opening with create/truncate commits the empty file at once (nanoFramework's OpenFileNative opens the
    ///   file with "w" and closes it): the old content is gone before a byte of the new one is written.</item>
    /// <item>Delete and move are single atomic commits; File.Move refuses an existing target, so
    ///   <see cref="Replace"/> is a delete followed by a move (what the loader's FlashStorage does), two operations a
    ///   cut can fall between.</item>
    /// <item>The size of the volume is unknown: <see cref="Capacity"/> is -1 (littlefs_FS_Driver GetSizeInfo).</item>
    /// <item>Length and Exists read the committed metadata (an open file being written stats as its committed size);
    ///   a reader sees committed content only.</item>
    /// </list>
    /// Every operation that can change flash (create, append-open, write, flush, close of a written file, delete,
    /// each half of a replace) is counted; at operation <see cref="CutAt"/> the power goes out: that operation does
    /// not happen (a commit is atomic: it happening is the same as the cut falling on the next operation), and every
    /// later call fails until <see cref="PowerOn"/>. This is a worst case of the real driver: nanoFramework 1.1.x's
    /// FileStream commits each Write by itself (open, write, close), which only makes more data durable.
    /// </summary>
    internal sealed class LittleFsFlash : IFlashStorage
    {
        private readonly Dictionary<string, byte[]> _committed = new(StringComparer.Ordinal);
        private readonly object _sync = new();
        private int _generation;

        /// <summary>Operation at which the power goes out (1-based); 0 = never.</summary>
        public int CutAt { get; private set; }

        /// <summary>Flash operations since the last <see cref="PowerOn"/> (or creation).</summary>
        public int Operations { get; private set; }

        /// <summary>True after the cut, until <see cref="PowerOn"/>.</summary>
        public bool PoweredOff { get; private set; }

        /// <summary>
        /// Per file, the bytes that were written (in open files) but not committed when the power went out: what a
        /// resume has to download again.
        /// </summary>
        public Dictionary<string, long> LostAtCut { get; } = new(StringComparer.Ordinal);

        private readonly List<Handle> _open = new();

        /// <inheritdoc />
        public long Capacity => -1;

        /// <summary>A powered-on copy of what is committed now (no open files, no cut armed).</summary>
        public LittleFsFlash Clone()
        {
            lock (_sync)
            {
                var copy = new LittleFsFlash();
                foreach (KeyValuePair<string, byte[]> file in _committed)
                {
                    copy._committed[file.Key] = file.Value;
                }

                return copy;
            }
        }

        /// <summary>Puts a file in the committed state directly (the factory image nanoff deploys).</summary>
        public void Provision(string name, byte[] content)
        {
            lock (_sync)
            {
                _committed[name] = (byte[])content.Clone();
            }
        }

        /// <summary>The committed content of a file, or null.</summary>
        public byte[] Committed(string name)
        {
            lock (_sync)
            {
                return _committed.TryGetValue(name, out byte[] bytes) ? (byte[])bytes.Clone() : null;
            }
        }

        /// <summary>Names of the committed files.</summary>
        public string[] Files()
        {
            lock (_sync)
            {
                return _committed.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
            }
        }

        /// <summary>
        /// Power comes back: open files are gone (their uncommitted data lost), the operation count restarts, and the
        /// next cut (0 = none) is armed.
        /// </summary>
        public void PowerOn(int nextCutAt)
        {
            lock (_sync)
            {
                _generation++;
                _open.Clear();
                PoweredOff = false;
                Operations = 0;
                CutAt = nextCutAt;
                LostAtCut.Clear();
            }
        }

        /// <inheritdoc />
        public bool Exists(string name)
        {
            lock (_sync)
            {
                Alive();
                return _committed.ContainsKey(Check(name));
            }
        }

        /// <inheritdoc />
        public long Length(string name)
        {
            lock (_sync)
            {
                Alive();
                return _committed.TryGetValue(Check(name), out byte[] bytes) ? bytes.Length : -1;
            }
        }

        /// <inheritdoc />
        public IFlashFile OpenRead(string name)
        {
            lock (_sync)
            {
                Alive();
                if (!_committed.TryGetValue(Check(name), out byte[] bytes))
                {
                    throw new IOException("No file " + name + ".");
                }

                return new Handle(this, name, bytes, writable: false);
            }
        }

        /// <inheritdoc />
        public IFlashFile OpenCreate(string name)
        {
            lock (_sync)
            {
                Mutate();
                _committed[Check(name)] = Array.Empty<byte>();
                return Track(new Handle(this, name, Array.Empty<byte>(), writable: true));
            }
        }

        /// <inheritdoc />
        public IFlashFile OpenAppend(string name)
        {
            lock (_sync)
            {
                Mutate();
                if (!_committed.TryGetValue(Check(name), out byte[] bytes))
                {
                    bytes = Array.Empty<byte>();
                    _committed[name] = bytes;
                }

                return Track(new Handle(this, name, bytes, writable: true));
            }
        }

        /// <inheritdoc />
        public void Delete(string name)
        {
            lock (_sync)
            {
                Mutate();
                _committed.Remove(Check(name));
            }
        }

        /// <summary>File.Move: refuses an existing target and a missing source.</summary>
        public void Move(string source, string destination)
        {
            lock (_sync)
            {
                Mutate();
                if (_committed.ContainsKey(Check(destination)))
                {
                    throw new IOException("Move: " + destination + " exists.");
                }

                if (!_committed.Remove(Check(source), out byte[] bytes))
                {
                    throw new IOException("Move: no file " + source + ".");
                }

                _committed[destination] = bytes;
            }
        }

        /// <inheritdoc />
        public void Replace(string source, string destination)
        {
            // The loader's FlashStorage.Replace on the device: delete the target when it exists, then move.
            if (Exists(destination))
            {
                Delete(destination);
            }

            Move(source, destination);
        }

        private Handle Track(Handle handle)
        {
            _open.Add(handle);
            return handle;
        }

        private void Alive()
        {
            if (PoweredOff)
            {
                throw new PowerCutException(Operations);
            }
        }

        private void Mutate()
        {
            Alive();
            Operations++;
            if (Operations == CutAt)
            {
                PoweredOff = true;
                foreach (Handle handle in _open)
                {
                    long lost = handle.Working.Count - (_committed.TryGetValue(handle.Name, out byte[] c) ? c.Length : 0);
                    if (lost > 0)
                    {
                        LostAtCut[handle.Name] = lost;
                    }
                }

                throw new PowerCutException(Operations);
            }
        }

        private static string Check(string name)
        {
            if (string.IsNullOrEmpty(name) || name.IndexOfAny(['/', '\\']) >= 0)
            {
                throw new ArgumentException("A flash file name is a plain name without folders.");
            }

            return name;
        }

        private sealed class Handle : IFlashFile
        {
            private readonly LittleFsFlash _owner;
            private readonly int _generation;
            private readonly bool _writable;
            private int _position;
            private bool _closed;

            public Handle(LittleFsFlash owner, string name, byte[] content, bool writable)
            {
                _owner = owner;
                _generation = owner._generation;
                Name = name;
                Working = new List<byte>(content);
                _writable = writable;
                _position = writable ? content.Length : 0;
            }

            public string Name { get; }

            public List<byte> Working { get; }

            public long Length
            {
                get
                {
                    lock (_owner._sync)
                    {
                        Usable();
                        return Working.Count;
                    }
                }
            }

            public int Read(byte[] buffer, int offset, int count)
            {
                lock (_owner._sync)
                {
                    Usable();
                    int n = Math.Min(count, Working.Count - _position);
                    if (n <= 0)
                    {
                        return 0;
                    }

                    Working.CopyTo(_position, buffer, offset, n);
                    _position += n;
                    return n;
                }
            }

            public void Write(byte[] buffer, int offset, int count)
            {
                lock (_owner._sync)
                {
                    Usable();
                    if (!_writable)
                    {
                        throw new NotSupportedException("read-only handle");
                    }

                    _owner.Mutate();
                    Working.AddRange(new ArraySegment<byte>(buffer, offset, count));
                    _position += count;
                }
            }

            public void Flush()
            {
                lock (_owner._sync)
                {
                    Usable();

                    // Counted (the power can go out here) but changes nothing on flash: littlefs commits on close.
                    _owner.Mutate();
                }
            }

            public void Dispose()
            {
                lock (_owner._sync)
                {
                    // After the cut (or a later power-on) the handle is dead: nothing is committed, nothing throws,
                    // so a caller's finally block does not hide the power cut.
                    if (_closed || _owner.PoweredOff || _generation != _owner._generation)
                    {
                        _closed = true;
                        return;
                    }

                    if (_writable)
                    {
                        _owner.Mutate();
                        _owner._committed[Name] = Working.ToArray();
                        _owner._open.Remove(this);
                    }

                    _closed = true;
                }
            }

            private void Usable()
            {
                if (_closed)
                {
                    throw new ObjectDisposedException(Name);
                }

                if (_owner.PoweredOff || _generation != _owner._generation)
                {
                    throw new PowerCutException(_owner.Operations);
                }
            }
        }
    }
}
