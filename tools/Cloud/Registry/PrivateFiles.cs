namespace AliyunIot.Cloud.Registry
{
    /// <summary>
    /// Writes the cloud's files (registry, device configs, keys, control token) so that only their owner can read
    /// them and nobody can redirect them: folders 0700, files 0600, created under the cloud's folder only, never
    /// through a symbolic link (every folder below the root is checked, and a file is replaced by renaming a new
    /// file over it, which replaces a link rather than writing where it points).
    /// </summary>
    public static class PrivateFiles
    {
        private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        /// <summary>Creates <paramref name="root"/> if needed and makes it 0700 (the user chose it; it may be a link).</summary>
        public static void EnsureRoot(string root)
        {
            Directory.CreateDirectory(root);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(root, OwnerOnlyFolder);
            }
        }

        /// <summary>
        /// Creates the folders from <paramref name="root"/> down to <paramref name="directory"/> (0700 each).
        /// </summary>
        /// <exception cref="ArgumentException"><paramref name="directory"/> is not under the root.</exception>
        /// <exception cref="IOException">A folder on the way is a symbolic link.</exception>
        public static void EnsureDirectory(string root, string directory)
        {
            string fullRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
            string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
            if (full != fullRoot && !full.StartsWith(fullRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new ArgumentException($"{directory} is not inside the cloud's folder {root}");
            }

            EnsureRoot(fullRoot);
            string current = fullRoot;
            foreach (string part in Path.GetRelativePath(fullRoot, full).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == ".")
                {
                    continue;
                }

                current = Path.Combine(current, part);
                var info = new DirectoryInfo(current);
                if (info.LinkTarget != null || (!info.Exists && File.Exists(current)))
                {
                    throw new IOException($"refused: {current} is a symbolic link or a file, not a folder of the cloud's own");
                }

                if (!info.Exists)
                {
                    if (OperatingSystem.IsWindows())
                    {
                        Directory.CreateDirectory(current);
                    }
                    else
                    {
                        Directory.CreateDirectory(current, OwnerOnlyFolder);
                    }
                }
            }
        }

        /// <summary>
        /// Writes <paramref name="text"/> to <paramref name="path"/> (a file inside <paramref name="root"/>) as a new
        /// 0600 file renamed over the old one.
        /// </summary>
        public static void WriteAllText(string root, string path, string text)
        {
            string full = Path.GetFullPath(path);
            EnsureDirectory(root, Path.GetDirectoryName(full));
            AliyunIot.TestBroker.PrivateFiles.WriteAllText(full, text);
        }

        /// <summary>True when <paramref name="path"/> is a file readable and writable by its owner only (always true on Windows).</summary>
        public static bool IsOwnerOnly(string path) =>
            OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & ~OwnerOnlyFile) == 0;
    }
}
