using System;

namespace OtaPartition
{
    /// <summary>
    /// The flash file system as the slot store needs it: a flat set of named files in one folder.
    /// Device: <c>FileStream</c> on <c>I:\</c> (littlefs); host: files in a folder.
    /// Names are plain file names (no separators); the implementation decides the folder.
    /// </summary>
    public interface IFlashStorage
    {
        /// <summary>True when the file exists.</summary>
        bool Exists(string name);

        /// <summary>Length of the file in bytes, or -1 when it does not exist.</summary>
        long Length(string name);

        /// <summary>Opens an existing file for sequential reading.</summary>
        /// <exception cref="System.IO.IOException">The file does not exist or cannot be read.</exception>
        IFlashFile OpenRead(string name);

        /// <summary>Creates the file, or truncates it to zero bytes when it exists, and opens it for writing.</summary>
        IFlashFile OpenCreate(string name);

        /// <summary>Opens the file for writing at its end (creates it when missing).</summary>
        IFlashFile OpenAppend(string name);

        /// <summary>Deletes the file; nothing happens when it does not exist.</summary>
        void Delete(string name);

        /// <summary>
        /// Makes <paramref name="source"/> the new <paramref name="destination"/>, replacing it when it exists.
        /// Atomic on the host (rename); on the device a delete followed by a move, which is why every reader of a
        /// replaced file also looks at the source when the destination is missing or damaged.
        /// </summary>
        void Replace(string source, string destination);

        /// <summary>Total size of the volume in bytes (the device has no free-space API), or -1 when unknown.</summary>
        long Capacity { get; }
    }

    /// <summary>An open file of an <see cref="IFlashStorage"/>. Dispose closes it.</summary>
    public interface IFlashFile : IDisposable
    {
        /// <summary>Current length of the file.</summary>
        long Length { get; }

        /// <summary>Reads up to <paramref name="count"/> bytes; returns 0 at the end of the file.</summary>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Writes <paramref name="count"/> bytes at the current position.</summary>
        void Write(byte[] buffer, int offset, int count);

        /// <summary>Makes everything written so far durable (survives a power cut).</summary>
        void Flush();
    }
}
