using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;

namespace AliyunIot.TestBroker
{
    /// <summary>
    /// Compiles the test broker's C parts (embedded in this assembly) with gcc into shared objects, once per source
    /// version: each .so is cached under the temp directory by the source's SHA-256, so a second broker (or a second
    /// test run) reuses it. The parts: the platform-style auth plugin (auth/aliyun_auth.c, needs mosquitto-dev,
    /// libmosquitto-dev and libssl-dev) and the accept-queue shim preloaded into mosquitto (preload/listen_backlog.c).
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
                if (Built.TryGetValue(name, out string built) && File.Exists(built))
                {
                    return built;
                }

                byte[] source = ReadSource(name + ".c");
                string hash = Convert.ToHexString(SHA256.HashData(source)).Substring(0, 16).ToLowerInvariant();
                string dir = Path.Combine(Path.GetTempPath(), "aliyuniot-testbroker");
                Directory.CreateDirectory(dir);
                string target = Path.Combine(dir, name + "-" + hash + ".so");
                if (!File.Exists(target))
                {
                    Compile(name, source, library, dir, target);
                }

                Built[name] = target;
                return target;
            }
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
