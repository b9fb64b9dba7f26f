using System;
using System.IO;
using System.Text;
using AliyunIot.Ports;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// <see cref="IConfigStore"/> on the ESP32's internal littlefs drive: <c>I:\device.json</c>, provisioned by
    /// <c>flash.ps1</c> (nanoff --filedeployment) and rewritten by dynamic registration.
    /// </summary>
    /// <remarks>
    /// nanoFramework has no atomic replace (File.Move refuses an existing target), so a write is:
    /// (1) write and flush <c>device.json.new</c>, (2) delete <c>device.json</c>, (3) rename the new file.
    /// A power cut can only leave these states, and <see cref="Read"/> recovers each of them:
    /// before (2): the old file is complete and the .new one may be partial → keep the old, delete .new;
    /// between (2) and (3): only the flushed .new exists → finish the rename.
    /// </remarks>
    public sealed class FileConfigStore : IConfigStore
    {
        /// <summary>The default location on the ESP32.</summary>
        public const string DefaultPath = "I:\\device.json";

        private readonly object _sync = new object();
        private readonly string _path;
        private readonly string _newPath;

        /// <summary>Creates a store for <paramref name="path"/> (normally <see cref="DefaultPath"/>).</summary>
        public FileConfigStore(string path)
        {
            if (path == null || path.Length == 0)
            {
                throw new ArgumentNullException("path");
            }

            _path = path;
            _newPath = path + ".new";
        }

        /// <summary>Where the config lives.</summary>
        public string Path
        {
            get { return _path; }
        }

        /// <inheritdoc />
        public string Read()
        {
            lock (_sync)
            {
                Recover();
                if (!File.Exists(_path))
                {
                    return null;
                }

                return File.ReadAllText(_path);
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
                byte[] bytes = Encoding.UTF8.GetBytes(json);
                if (File.Exists(_newPath))
                {
                    File.Delete(_newPath);
                }

                using (FileStream stream = new FileStream(_newPath, FileMode.Create, FileAccess.Write))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush();
                }

                if (File.Exists(_path))
                {
                    File.Delete(_path);
                }

                File.Move(_newPath, _path);
            }
        }

        private void Recover()
        {
            if (!File.Exists(_newPath))
            {
                return;
            }

            if (File.Exists(_path))
            {
                // Interrupted before the old file was deleted: the old one is whole, the new one maybe not.
                File.Delete(_newPath);
            }
            else
            {
                // Interrupted between delete and rename: the new file was flushed before the delete began.
                File.Move(_newPath, _path);
            }
        }
    }
}
