using System.Security.Cryptography;

namespace AliyunIot.OtaPack
{
    /// <summary>
    /// The user's OTA signing key pair: generation (<c>otapack keygen</c>), loading, key id, and the checks that keep
    /// the private key out of repositories and readable by its owner only.
    /// </summary>
    public static class SigningKeys
    {
        /// <summary>Bits of a generated key (RSA-3072 is accepted too; 2048 keeps verification cheapest on the device).</summary>
        public const int DefaultBits = 2048;

        /// <summary>
        /// Writes a new key pair: <paramref name="prefix"/>.key (PKCS#8 PEM, mode 0600, created exclusively) and
        /// <paramref name="prefix"/>.pem (the public key, for flash.ps1). Refuses a target inside a git work tree.
        /// </summary>
        /// <returns>The paths of the private and the public key.</returns>
        /// <exception cref="IOException">A file exists already, or the target is inside a repository.</exception>
        public static (string PrivatePath, string PublicPath) Generate(string prefix, int bits = DefaultBits, bool allowInsideRepository = false)
        {
            string full = Path.GetFullPath(prefix);
            string privatePath = full + ".key";
            string publicPath = full + ".pem";
            string repository = EnclosingRepository(Path.GetDirectoryName(full));
            if (repository != null && !allowInsideRepository)
            {
                throw new IOException($"refusing to write a private key inside the git work tree {repository}; choose a folder outside any repository");
            }

            using RSA rsa = RSA.Create(bits);
            WriteExclusive(privatePath, rsa.ExportPkcs8PrivateKeyPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            WriteExclusive(publicPath, rsa.ExportSubjectPublicKeyInfoPem() + "\n",
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            return (privatePath, publicPath);
        }

        /// <summary>Loads a private key PEM; warns (through <paramref name="warn"/>) when others may read the file.</summary>
        public static RSA LoadPrivate(string path, Action<string> warn)
        {
            if (!OperatingSystem.IsWindows())
            {
                UnixFileMode mode = File.GetUnixFileMode(path);
                if ((mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
                {
                    warn?.Invoke($"WARNING: {path} is readable by other users (chmod 600 it)");
                }
            }

            var rsa = RSA.Create();
            rsa.ImportFromPem(File.ReadAllText(path));
            if (rsa.KeySize != 2048 && rsa.KeySize != 3072)
            {
                throw new CryptographicException($"the key has {rsa.KeySize} bits; devices accept RSA-2048 or RSA-3072");
            }

            return rsa;
        }

        /// <summary>First 8 bytes of SHA-256 over the big-endian modulus (the device computes the same).</summary>
        public static byte[] KeyId(RSA key)
        {
            byte[] modulus = key.ExportParameters(false).Modulus!;
            return SHA256.HashData(modulus).AsSpan(0, 8).ToArray();
        }

        /// <summary>The git work tree that contains <paramref name="folder"/>, or null.</summary>
        public static string EnclosingRepository(string folder)
        {
            for (var dir = new DirectoryInfo(folder); dir != null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")))
                {
                    return dir.FullName;
                }
            }

            return null;
        }

        private static void WriteExclusive(string path, string text, UnixFileMode mode)
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = mode;
            }

            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.Write(text);
        }
    }
}
