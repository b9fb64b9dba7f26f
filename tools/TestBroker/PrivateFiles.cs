using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace AliyunIot.TestBroker
{
    /// <summary>
    /// Files with secrets (credentials, TLS keys, device.json) written by the host tools: folders 0700 with an
    /// unpredictable name, files 0600 written atomically, optionally handed to an unprivileged owner (mosquitto when
    /// the tools run as root), an <c>owner.pid</c> marker so the next start removes the folder of a crashed run.
    /// </summary>
    public static class PrivateFiles
    {
        /// <summary>Mode of every folder with secrets.</summary>
        public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

        /// <summary>Mode of every file with secrets.</summary>
        public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        private const string OwnerMarker = "owner.pid";

        /// <summary>
        /// Creates <paramref name="parent"/>/<paramref name="prefix"/>&lt;random&gt; with mode 0700 (mkdtemp semantics: a
        /// new folder, never an existing one) and records this process as its owner. Removes folders with the same
        /// prefix whose owner process is gone first (a crashed or killed run).
        /// </summary>
        public static string CreateFolder(string parent, string prefix)
        {
            Directory.CreateDirectory(parent);
            RemoveStale(parent, prefix);
            for (int attempt = 0; ; attempt++)
            {
                string path = Path.Combine(parent, prefix + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)));
                try
                {
                    // CreateDirectory succeeds on an existing folder: mkdir(2) through the mode overload does not, so
                    // check first and verify after (a racing attacker's folder would not be ours).
                    if (Directory.Exists(path))
                    {
                        continue;
                    }

                    CreatePrivateDirectory(path);
                    WriteAllText(Path.Combine(path, OwnerMarker), Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
                    return path;
                }
                catch (IOException) when (attempt < 5)
                {
                }
            }
        }

        /// <summary>Creates <paramref name="path"/> (if needed) and makes it 0700, whatever the umask.</summary>
        public static void CreatePrivateDirectory(string path)
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
                return;
            }

            Directory.CreateDirectory(path, FolderMode);
            File.SetUnixFileMode(path, FolderMode);
        }

        /// <summary>Deletes the folders <paramref name="parent"/>/<paramref name="prefix"/>* whose owner process no longer runs.</summary>
        /// <returns>How many were removed.</returns>
        public static int RemoveStale(string parent, string prefix)
        {
            int removed = 0;
            if (!Directory.Exists(parent))
            {
                return 0;
            }

            foreach (string folder in Directory.EnumerateDirectories(parent, prefix + "*"))
            {
                try
                {
                    var info = new DirectoryInfo(folder);
                    if (info.LinkTarget != null)
                    {
                        continue;
                    }

                    string marker = Path.Combine(folder, OwnerMarker);
                    if (!File.Exists(marker) || !int.TryParse(File.ReadAllText(marker).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || IsAlive(pid))
                    {
                        continue;
                    }

                    Directory.Delete(folder, true);
                    removed++;
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                    // Another user's folder: not ours to judge.
                }
            }

            return removed;
        }

        /// <summary>Writes <paramref name="path"/> atomically with mode 0600 (temp file created 0600, then renamed).</summary>
        /// <param name="path">Target.</param>
        /// <param name="text">Content.</param>
        /// <param name="owner">Hand the file to this user (uid, gid) before it appears, or null.</param>
        public static void WriteAllText(string path, string text, (int Uid, int Gid)? owner = null) =>
            WriteAllBytes(path, new System.Text.UTF8Encoding(false).GetBytes(text), owner);

        /// <summary>Writes <paramref name="path"/> atomically with mode 0600 (temp file created 0600, then renamed).</summary>
        /// <param name="path">Target.</param>
        /// <param name="bytes">Content.</param>
        /// <param name="owner">Hand the file to this user (uid, gid) before it appears, or null.</param>
        public static void WriteAllBytes(string path, byte[] bytes, (int Uid, int Gid)? owner = null)
        {
            string temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = FileMode;
            }

            try
            {
                using (var stream = new FileStream(temp, options))
                {
                    stream.Write(bytes);
                }

                if (owner is { } o)
                {
                    ChangeOwner(temp, o.Uid, o.Gid);
                }

                File.Move(temp, path, true);
            }
            finally
            {
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }
        }

        /// <summary>
        /// The unprivileged account mosquitto should run as when these tools run as root: the <c>mosquitto</c> user
        /// the Debian package creates; null when not root or when no such user exists (then mosquitto keeps running
        /// as the invoking user).
        /// </summary>
        public static (string Name, int Uid, int Gid)? BrokerAccount()
        {
            if (OperatingSystem.IsWindows() || geteuid() != 0 || !File.Exists("/etc/passwd"))
            {
                return null;
            }

            foreach (string line in File.ReadLines("/etc/passwd"))
            {
                string[] fields = line.Split(':');
                if (fields.Length >= 4 && fields[0] == "mosquitto"
                    && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out int uid)
                    && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out int gid) && uid != 0)
                {
                    return (fields[0], uid, gid);
                }
            }

            return null;
        }

        /// <summary>chown(2); throws when it fails.</summary>
        public static void ChangeOwner(string path, int uid, int gid)
        {
            if (chown(path, (uint)uid, (uint)gid) != 0)
            {
                throw new IOException("chown " + path + " failed (errno " + Marshal.GetLastPInvokeError() + ")");
            }
        }

        /// <summary>The effective user id of this process (0 = root).</summary>
        public static int EffectiveUserId() => OperatingSystem.IsWindows() ? -1 : (int)geteuid();

        private static bool IsAlive(int pid)
        {
            try
            {
                using Process process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern uint geteuid();

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
        private static extern int chown([MarshalAs(UnmanagedType.LPStr)] string path, uint owner, uint group);
    }
}
