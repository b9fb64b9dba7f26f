using System;
using System.Collections;
using System.IO;
using OtaPartition;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// <see cref="IFlashStorage"/> in RAM, with the device's replace semantics (delete, then move) and an injectable
    /// power cut between the two: the one fault of the real I:\ that cannot be caused on purpose on a board.
    /// </summary>
    internal sealed class InMemoryFlashStorage : IFlashStorage
    {
        private readonly Hashtable _files = new Hashtable();

        /// <summary>When true, the next Replace deletes the destination and then "loses power" (throws).</summary>
        public bool CutNextReplaceAfterDelete;

        /// <inheritdoc />
        public long Capacity
        {
            get { return 262144; }
        }

        /// <inheritdoc />
        public bool Exists(string name)
        {
            return _files.Contains(name);
        }

        /// <inheritdoc />
        public long Length(string name)
        {
            InMemoryFileData data = (InMemoryFileData)_files[name];
            return data == null ? -1 : data.Length;
        }

        /// <inheritdoc />
        public IFlashFile OpenRead(string name)
        {
            InMemoryFileData data = (InMemoryFileData)_files[name];
            if (data == null)
            {
                throw new IOException("No file " + name);
            }

            return new InMemoryFile(data, 0);
        }

        /// <inheritdoc />
        public IFlashFile OpenCreate(string name)
        {
            InMemoryFileData data = new InMemoryFileData();
            _files[name] = data;
            return new InMemoryFile(data, 0);
        }

        /// <inheritdoc />
        public IFlashFile OpenAppend(string name)
        {
            InMemoryFileData data = (InMemoryFileData)_files[name];
            if (data == null)
            {
                data = new InMemoryFileData();
                _files[name] = data;
            }

            return new InMemoryFile(data, data.Length);
        }

        /// <inheritdoc />
        public void Delete(string name)
        {
            _files.Remove(name);
        }

        /// <inheritdoc />
        public void Replace(string source, string destination)
        {
            object data = _files[source];
            if (data == null)
            {
                throw new IOException("No file " + source);
            }

            _files.Remove(destination);
            if (CutNextReplaceAfterDelete)
            {
                CutNextReplaceAfterDelete = false;
                throw new IOException("power cut between delete and move");
            }

            _files.Remove(source);
            _files[destination] = data;
        }

        /// <summary>A copy of a file's bytes (test inspection).</summary>
        public byte[] Bytes(string name)
        {
            InMemoryFileData data = (InMemoryFileData)_files[name];
            byte[] copy = new byte[data.Length];
            Array.Copy(data.Bytes, copy, data.Length);
            return copy;
        }

        /// <summary>Puts a whole file (what nanoff --filedeployment does).</summary>
        public void Put(string name, byte[] bytes)
        {
            InMemoryFileData data = new InMemoryFileData();
            data.Bytes = new byte[bytes.Length];
            Array.Copy(bytes, data.Bytes, bytes.Length);
            data.Length = bytes.Length;
            _files[name] = data;
        }
    }
}
