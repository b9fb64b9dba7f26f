using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;

namespace AliyunIot.TestBroker
{
    /// <summary>
    /// Compiles the platform-style mosquitto auth plugin (auth/aliyun_auth.c, embedded in this assembly) with gcc
    /// against mosquitto-dev and libssl-dev, once per source version: the .so is cached under the temp directory by
    /// the source's SHA-256, so a second broker (or a second test run) reuses it.
    /// </summary>
    public static class AuthPluginBuilder
    {
        private static readonly object Gate = new object();
        private static string _built;

        /// <summary>Path of the compiled plugin; builds it on first use.</summary>
        /// <exception cref="InvalidOperationException">gcc or the headers are missing, or compilation failed.</exception>
        public static string EnsureBuilt()
        {
            lock (Gate)
            {
                if (_built != null && File.Exists(_built))
                {
                    return _built;
                }

                byte[] source = ReadSource();
                string hash = Convert.ToHexString(SHA256.HashData(source)).Substring(0, 16).ToLowerInvariant();
                string dir = Path.Combine(Path.GetTempPath(), "aliyuniot-testbroker");
                Directory.CreateDirectory(dir);
                string target = Path.Combine(dir, "aliyun_auth-" + hash + ".so");
                if (!File.Exists(target))
                {
                    Compile(source, dir, target);
                }

                _built = target;
                return target;
            }
        }

        private static byte[] ReadSource()
        {
            using Stream stream = typeof(AuthPluginBuilder).Assembly.GetManifestResourceStream("aliyun_auth.c")
                ?? throw new InvalidOperationException("aliyun_auth.c is not embedded in AliyunIot.TestBroker.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }

        private static void Compile(byte[] source, string dir, string target)
        {
            string unique = Environment.ProcessId + "-" + Guid.NewGuid().ToString("N");
            string sourcePath = Path.Combine(dir, "aliyun_auth-" + unique + ".c");
            string tempTarget = Path.Combine(dir, "aliyun_auth-" + unique + ".so.tmp");
            File.WriteAllBytes(sourcePath, source);
            try
            {
                var start = new ProcessStartInfo("gcc")
                {
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                    UseShellExecute = false,
                };
                foreach (string arg in new[] { "-shared", "-fPIC", "-O2", "-Wall", "-o", tempTarget, sourcePath, "-lcrypto" })
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
                        "gcc was not found (" + ex.Message + "). The test broker builds its auth plugin at start: apt-get install gcc mosquitto-dev libssl-dev", ex);
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
                        throw new InvalidOperationException("Building the mosquitto auth plugin failed" + hint + ":\n" + stderr + stdout.Result);
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
