using System.Text;
using AliyunIot.Ports;

namespace AliyunIot.HostPorts.Storage
{
    /// <summary>
    /// Host <see cref="IConfigStore"/>: device.json as a file. Writes go to a temporary file in the same folder,
    /// are flushed to disk, and then replace the old file with one rename, so a crash leaves either the old or
    /// the new config, never a torn one.
    /// </summary>
    public sealed class FileConfigStore : IConfigStore
    {
        private readonly string _path;

        /// <summary>Creates a store for the file at <paramref name="path"/>.</summary>
        public FileConfigStore(string path)
        {
            _path = Path.GetFullPath(path ?? throw new ArgumentNullException(nameof(path)));
        }

        /// <summary>The file's full path.</summary>
        public string FilePath => _path;

        /// <inheritdoc />
        public string Read() => File.Exists(_path) ? File.ReadAllText(_path, Encoding.UTF8) : null;

        /// <inheritdoc />
        public void Write(string json)
        {
            ArgumentNullException.ThrowIfNull(json);
            string directory = Path.GetDirectoryName(_path);
            Directory.CreateDirectory(directory);
            string temporary = Path.Combine(directory, "." + Path.GetFileName(_path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    byte[] bytes = new UTF8Encoding(false).GetBytes(json);
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(true);
                }

                File.Move(temporary, _path, overwrite: true);
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }
    }
}
