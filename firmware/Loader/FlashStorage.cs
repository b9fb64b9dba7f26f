using System;
using System.IO;
using OtaPartition;

namespace AliyunIot.Loader
{
    /// <summary>
    /// <see cref="IFlashStorage"/> on the ESP32's internal littlefs drive (<c>I:\</c>): the slot files, the manifest
    /// and the download record live in its root, next to <c>device.json</c>.
    /// </summary>
    /// <remarks>
    /// It lives in the LOADER (the stable deployment region), not in the updatable application, because the loader
    /// needs it before any application assembly is loaded: <see cref="BootGuard"/> runs first. The loader hands this
    /// instance to the application's entry point, so both always agree on the folder and the file semantics.
    /// <para>
    /// littlefs on nanoFramework has no atomic rename over an existing file (File.Move refuses an existing target),
    /// so <see cref="Replace"/> is a delete followed by a move. A power cut between the two leaves only the source;
    /// OtaPartition's record reader looks for <c>name.new</c> when <c>name</c> is missing (RecordFiles), which is the
    /// recovery this non-atomic step relies on.
    /// </para>
    /// </remarks>
    public sealed class FlashStorage : IFlashStorage
    {
        /// <summary>The internal drive.</summary>
        public const string DefaultRoot = "I:\\";

        private readonly string _root;

        /// <summary>Creates the storage over <paramref name="root"/> (a drive or folder path ending in a backslash).</summary>
        public FlashStorage(string root)
        {
            if (root == null || root.Length == 0)
            {
                throw new ArgumentNullException("root");
            }

            _root = root;
        }

        /// <inheritdoc />
        public long Capacity
        {
            get
            {
                try
                {
                    // Only the total size exists on nanoFramework (no free-space API, notes §A.7).
                    DriveInfo drive = new DriveInfo(_root.Substring(0, 2));
                    return drive.TotalSize;
                }
                catch (Exception)
                {
                    return -1;
                }
            }
        }

        /// <inheritdoc />
        public bool Exists(string name)
        {
            return File.Exists(PathOf(name));
        }

        /// <inheritdoc />
        public long Length(string name)
        {
            string path = PathOf(name);
            if (!File.Exists(path))
            {
                return -1;
            }

            return new FileInfo(path).Length;
        }

        /// <inheritdoc />
        public IFlashFile OpenRead(string name)
        {
            string path = PathOf(name);
            if (!File.Exists(path))
            {
                throw new IOException("No file " + name + ".");
            }

            return new FlashFile(new FileStream(path, FileMode.Open, FileAccess.Read));
        }

        /// <inheritdoc />
        public IFlashFile OpenCreate(string name)
        {
            return new FlashFile(new FileStream(PathOf(name), FileMode.Create, FileAccess.Write));
        }

        /// <inheritdoc />
        public IFlashFile OpenAppend(string name)
        {
            // OpenOrCreate + seek to the end rather than FileMode.Append: the same effect with the most common mode.
            FileStream stream = new FileStream(PathOf(name), FileMode.OpenOrCreate, FileAccess.ReadWrite);
            stream.Seek(0, SeekOrigin.End);
            return new FlashFile(stream);
        }

        /// <inheritdoc />
        public void Delete(string name)
        {
            string path = PathOf(name);
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }

        /// <inheritdoc />
        public void Replace(string source, string destination)
        {
            string from = PathOf(source);
            string to = PathOf(destination);
            if (File.Exists(to))
            {
                File.Delete(to);
            }

            // Power cut here: only the source exists; readers of replaced records fall back to it (see remarks).
            File.Move(from, to);
        }

        private string PathOf(string name)
        {
            if (name == null || name.Length == 0 || name.IndexOf('\\') >= 0 || name.IndexOf('/') >= 0)
            {
                throw new ArgumentException("A flash file name is a plain name without folders.");
            }

            return _root + name;
        }
    }
}
