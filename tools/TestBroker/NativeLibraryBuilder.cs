using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;

namespace AliyunIot.TestBroker
{
    /// <summary>
    /// Compiles the test broker's C parts (embedded in this assembly) with gcc into shared objects, once per source
    /// version: each .so is cached by the source's SHA-256 in a per-user folder (<c>$XDG_CACHE_HOME</c> or
    /// <c>~/.cache</c>/aliyuniot-testbroker, mode 0700, never a shared predictable path under /tmp), beside the SHA-256
    /// of the build output. Before a cached .so is handed to mosquitto (which runs it, as root when the tools do) the
    /// folder must be a real 0700 folder and the file must hash to what the build produced; anything else is rebuilt,
    /// so a planted or modified library is never loaded. The parts: the platform-style auth plugin
    /// (auth/aliyun_auth.c, needs mosquitto-dev, libmosquitto-dev and libssl-dev) and the accept-queue shim preloaded
    /// into mosquitto (preload/listen_backlog.c).
    /// </summary>
    public static class NativeLibraryBuilder
    {
        /// <summary>The mosquitto auth plugin (HMAC sign check, per-device ACL).</summary>
        public const string AuthPlugin = "aliyun_auth";

        /// <summary>The LD_PRELOAD shim that gives mosquitto's listening sockets a long accept queue.</summary>
        public const string ListenBacklogShim = "listen_backlog";

        private static readonly object Gate = new object();
        private static readonly Dictionary<string, string> Built = new Dictionary<string, string>();

        /// <summary>Path of the compiled auth plugin; builds it on first use.</summary>
        /// <exception cref="InvalidOperationException">gcc or the headers are missing, or compilation failed.</exception>
        public static string EnsureAuthPlugin() => EnsureBuilt(AuthPlugin, "-lcrypto");

        /// <summary>Path of the compiled accept-queue shim; builds it on first use.</summary>
        /// <exception cref="InvalidOperationException">gcc is missing, or compilation failed.</exception>
        public static string EnsureListenBacklogShim() => EnsureBuilt(ListenBacklogShim, "-ldl");

        private static string EnsureBuilt(string name, string library)
        {
            lock (Gate)
            {
                if (Built.TryGetValue(name, out string built) && IsIntact(built))
                {
                    return built;
                }

                string target = BuildIn(CacheDirectory(), name, library);
                Built[name] = target;
                return target;
            }
        }

        /// <summary>
        /// The library <paramref name="name"/> in <paramref name="directory"/>: reused when it hashes to the SHA-256
        /// recorded at its build, otherwise (missing, planted, modified) built again. Returns its path.
        /// </summary>
        public static string BuildIn(string directory, string name, string library)
        {
            byte[] source = ReadSource(name + ".c");
            string hash = Convert.ToHexString(SHA256.HashData(source)).Substring(0, 16).ToLowerInvariant();
            string target = Path.Combine(directory, name + "-" + hash + ".so");
            if (!IsIntact(target))
            {
                Compile(name, source, library, directory, target);
                File.WriteAllText(target + ".sha256", HashOf(target));
            }

            if (!IsIntact(target))
            {
                throw new InvalidOperationException("the freshly built " + target + " does not match its recorded hash");
            }

            return target;
        }

        /// <summary>
        /// The per-user cache folder, created 0700. A folder that is a symlink or open to group/others is refused
        /// in favour of a fresh private folder for this process (nothing in it is trusted).
        /// </summary>
        public static string CacheDirectory()
        {
            string cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            string root = !string.IsNullOrEmpty(cache) ? cache : string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cache");
            string dir = root == null ? null : Path.Combine(root, "aliyuniot-testbroker");
            if (dir != null && IsPrivateFolder(dir, create: true))
            {
                return dir;
            }

            lock (Gate)
            {
                _fallback ??= Directory.CreateTempSubdirectory("aliyuniot-testbroker-").FullName;
                return _fallback;
            }
        }

        /// <summary>Copies a built library after checking it against its recorded hash (and the copy against it).</summary>
        public static void CopyVerified(string built, string destination)
        {
            if (!IsIntact(built))
            {
                throw new InvalidOperationException(built + " does not match the hash recorded when it was built");
            }

            File.Copy(built, destination, true);
            if (HashOf(destination) != File.ReadAllText(built + ".sha256").Trim())
            {
                throw new InvalidOperationException("the copy " + destination + " differs from " + built);
            }
        }

        /// <summary>True when <paramref name="path"/> exists, is a regular file, and hashes to its recorded SHA-256.</summary>
        public static bool IsIntact(string path)
        {
            var file = new FileInfo(path);
            string record = path + ".sha256";
            if (!file.Exists || file.LinkTarget != null || !File.Exists(record) || new FileInfo(record).LinkTarget != null)
            {
                return false;
            }

            if (!OperatingSystem.IsWindows() && (file.UnixFileMode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                return false;
            }

            return HashOf(path) == File.ReadAllText(record).Trim();
        }

        private static string _fallback;

        /// <summary>True when <paramref name="dir"/> is a real folder (no symlink) closed to group and others; creates it 0700 when asked.</summary>
        public static bool IsPrivateFolder(string dir, bool create)
        {
            try
            {
                if (!Directory.Exists(dir) && create)
                {
                    if (OperatingSystem.IsWindows())
                    {
                        Directory.CreateDirectory(dir);
                    }
                    else
                    {
                        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                    }
                }

                var info = new DirectoryInfo(dir);
                if (!info.Exists || info.LinkTarget != null)
                {
                    return false;
                }

                if (OperatingSystem.IsWindows())
                {
                    return true;
                }

                const UnixFileMode open = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                    | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
                return (info.UnixFileMode & open) == 0;
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }

        private static string HashOf(string path)
        {
            using FileStream stream = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        private static byte[] ReadSource(string resource)
        {
            using Stream stream = typeof(NativeLibraryBuilder).Assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException(resource + " is not embedded in AliyunIot.TestBroker.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }

        private static void Compile(string name, byte[] source, string library, string dir, string target)
        {
            string unique = Environment.ProcessId + "-" + Guid.NewGuid().ToString("N");
            string sourcePath = Path.Combine(dir, name + "-" + unique + ".c");
            string tempTarget = Path.Combine(dir, name + "-" + unique + ".so.tmp");
            File.WriteAllBytes(sourcePath, source);
            try
            {
                var start = new ProcessStartInfo("gcc")
                {
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                    UseShellExecute = false,
                };
                foreach (string arg in new[] { "-shared", "-fPIC", "-O2", "-Wall", "-o", tempTarget, sourcePath, library })
                {
                    start.ArgumentList.Add(arg);
                }

                Process gcc;
                try
                {
                    gcc = Process.Start(start);
                }
                catch (Win32Exception ex)
                {
                    throw new InvalidOperationException(
                        "gcc was not found (" + ex.Message + "). The test broker builds its native parts at start: apt-get install gcc mosquitto-dev libmosquitto-dev libssl-dev", ex);
                }

                using (gcc)
                {
                    Task<string> stdout = gcc.StandardOutput.ReadToEndAsync();
                    string stderr = gcc.StandardError.ReadToEnd();
                    gcc.WaitForExit();
                    stdout.Wait();
                    if (gcc.ExitCode != 0)
                    {
                        string hint = stderr.Contains("mosquitto", StringComparison.Ordinal) || stderr.Contains("openssl", StringComparison.Ordinal)
                            ? " (missing headers? apt-get install mosquitto-dev libmosquitto-dev libssl-dev)"
                            : string.Empty;
                        throw new InvalidOperationException("Building " + name + ".c for the test broker failed" + hint + ":\n" + stderr + stdout.Result);
                    }
                }

                // Atomic publish of the result: concurrent test processes may build the same version at once.
                File.Move(tempTarget, target, true);
            }
            finally
            {
                TryDelete(sourcePath);
                TryDelete(tempTarget);
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
