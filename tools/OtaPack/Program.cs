using System.Security.Cryptography;
using AliyunIot.OtaPack;
using OtaPartition;

// otapack keygen --out <prefix>                       -> <prefix>.key (private, 0600) + <prefix>.pem (public, for flash.ps1)
// otapack --version 1.2.0 --key <prefix>.key --out app.img [--counter N] [--tier application|full]
//         [--profiles esp32-wrover,esp32s3] [--platform 1] [--budget 98304] Esp32App.pe ...
//         (application tier: Esp32App.pe; full tier for PSRAM boards: AliyunIot.pe, the AliyunIot.<Component>.pe files, Esp32App.pe)
// otapack --verify app.img [--pubkey <prefix>.pem]
if (args.Length > 0 && args[0] == "keygen")
{
    return KeyGen(args.Skip(1).ToArray());
}

string version = null, output = null, verify = null, keyPath = null, publicKeyPath = null, profiles = string.Empty;
string platform = StablePlatform.Version;
long counter = 0;
int tier = OtaImageHeader.TierApplication;
bool unsigned = false;
int budget = OtaImagePacker.DefaultBudgetBytes;
var inputs = new List<string>();
try
{
    for (int i = 0; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--version": version = Next(args, ref i); break;
            case "--out": output = Next(args, ref i); break;
            case "--budget": budget = int.Parse(Next(args, ref i)); break;
            case "--verify": verify = Next(args, ref i); break;
            case "--key": keyPath = Next(args, ref i); break;
            case "--pubkey": publicKeyPath = Next(args, ref i); break;
            case "--counter": counter = long.Parse(Next(args, ref i)); break;
            case "--profiles": profiles = Next(args, ref i); break;
            case "--platform": platform = Next(args, ref i); break;
            case "--unsigned": unsigned = true; break;
            case "--tier":
                string t = Next(args, ref i);
                tier = t == "application" ? OtaImageHeader.TierApplication : t == "full" ? OtaImageHeader.TierFull : throw new FormatException("--tier is application or full");
                break;
            case "-h":
            case "--help": return Usage(0);
            default:
                if (args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    Console.Error.WriteLine("unknown option " + args[i]);
                    return Usage(2);
                }

                inputs.Add(args[i]);
                break;
        }
    }

    if (verify != null)
    {
        return Verify(verify, publicKeyPath);
    }

    if (version == null || output == null || inputs.Count == 0 || (keyPath == null && !unsigned))
    {
        if (keyPath == null && !unsigned && version != null)
        {
            Console.Error.WriteLine("otapack: devices refuse unsigned images: give --key <private key> (otapack keygen --out <prefix> makes one)");
        }

        return Usage(2);
    }

    string misplaced = OtaImagePacker.CheckTier(tier, inputs.Select(Path.GetFileName));
    if (misplaced != null)
    {
        Console.Error.WriteLine("otapack: " + misplaced);
        return 2;
    }

    using RSA key = keyPath == null ? null : SigningKeys.LoadPrivate(keyPath, Console.Error.WriteLine);
    var assemblies = inputs.Select(p => (Path.GetFileName(p), File.ReadAllBytes(p))).ToList();
    var packed = OtaImagePacker.Pack(version, assemblies, new OtaPackOptions
    {
        SecurityCounter = counter,
        Tier = tier,
        Profiles = profiles,
        PlatformVersion = platform,
        SigningKey = key,
    });
    File.WriteAllBytes(output, packed.Image);
    Console.WriteLine($"image    {output}");
    Console.WriteLine($"version  {version}   counter {counter}   tier {(tier == OtaImageHeader.TierFull ? "full" : "application")}   profiles {(profiles.Length == 0 ? "any" : profiles)}   platform {(platform.Length == 0 ? "any" : platform)}");
    Console.WriteLine(key == null ? "signed   NO (devices refuse this image)" : $"signed   RSA-{key.KeySize} PKCS#1 v1.5 SHA-256, key id {Convert.ToHexStringLower(SigningKeys.KeyId(key))}");
    foreach (var entry in packed.Header.Entries)
    {
        Console.WriteLine($"  {entry.Name,-32} {entry.Length,8} bytes  crc32 {entry.Crc32:x8}");
    }

    Console.WriteLine($"size     {packed.Image.Length} bytes");
    Console.WriteLine($"MD5      {packed.Md5Hex}");
    Console.WriteLine($"SHA-256  {packed.Sha256Hex}   (upload with sign method SHA256)");
    long assemblyBytes = packed.Header.SignedLength - packed.Header.HeaderLength;
    Console.WriteLine($"extData  otaPlatform={platform} otaProfiles={profiles} otaHeap={assemblyBytes + (assemblyBytes / 12)}   (optional push info: a board that does not fit refuses before downloading)");
    if (packed.Image.Length > budget)
    {
        Console.WriteLine($"WARNING: {packed.Image.Length} bytes exceed the budget of {budget} bytes: two slots plus device.json must fit the 256 KB I:\\ of a 4 MB module (see docs/ota.md)");
    }

    return 0;
}
catch (Exception ex) when (ex is IOException || ex is OtaImageException || ex is UnauthorizedAccessException || ex is FormatException || ex is CryptographicException || ex is ArgumentException)
{
    // Messages name files and formats, never key material.
    Console.Error.WriteLine("otapack: " + ex.Message);
    return 1;
}

static int Verify(string path, string publicKeyPath)
{
    string folder = Path.GetDirectoryName(Path.GetFullPath(path));
    var storage = new FolderStorage(folder);
    var header = OtaImageReader.Validate(storage, Path.GetFileName(path), new byte[4096]);
    Console.WriteLine($"{path}: valid OTA image, version {header.Version}, {header.TotalLength} bytes, counter {header.SecurityCounter}, format {header.Format}");
    foreach (var entry in header.Entries)
    {
        Console.WriteLine($"  {entry.Name,-32} {entry.Length,8} bytes  crc32 {entry.Crc32:x8}");
    }

    if (!header.IsSigned)
    {
        Console.WriteLine("not signed: devices refuse it");
        return publicKeyPath == null ? 0 : 1;
    }

    Console.WriteLine($"signed by key id {Convert.ToHexStringLower(header.KeyId)}");
    if (publicKeyPath == null)
    {
        return 0;
    }

    using var rsa = RSA.Create();
    rsa.ImportFromPem(File.ReadAllText(publicKeyPath));
    byte[] image = File.ReadAllBytes(path);
    bool ok = SigningKeys.KeyId(rsa).AsSpan().SequenceEqual(header.KeyId)
        && rsa.VerifyData(image.AsSpan(0, (int)header.SignedLength), image.AsSpan((int)header.SignedLength, header.SignatureLength), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    Console.WriteLine(ok ? "signature verifies with " + publicKeyPath : "signature does NOT verify with " + publicKeyPath);
    return ok ? 0 : 1;
}

static int KeyGen(string[] args)
{
    string prefix = null;
    int bits = SigningKeys.DefaultBits;
    for (int i = 0; i < args.Length; i++)
    {
        switch (args[i])
        {
            case "--out": prefix = Next(args, ref i); break;
            case "--bits": bits = int.Parse(Next(args, ref i)); break;
            default: return Usage(2);
        }
    }

    if (prefix == null || (bits != 2048 && bits != 3072))
    {
        return Usage(2);
    }

    try
    {
        var (privatePath, publicPath) = SigningKeys.Generate(prefix, bits);
        Console.WriteLine($"private key {privatePath} (mode 0600: keep it offline, never in a repository or a CI log)");
        Console.WriteLine($"public key  {publicPath} (flash.ps1 -OtaPublicKey {publicPath} deploys it as I:\\{StablePlatform.SigningKeyFile})");
        return 0;
    }
    catch (IOException ex)
    {
        Console.Error.WriteLine("otapack: " + ex.Message);
        return 1;
    }
}

static string Next(string[] args, ref int i)
{
    if (i + 1 >= args.Length)
    {
        throw new FormatException(args[i] + " needs a value");
    }

    return args[++i];
}

static int Usage(int code)
{
    Console.Error.WriteLine("usage: otapack keygen --out <prefix> [--bits 2048|3072]");
    Console.Error.WriteLine("       otapack --version <v> --key <prefix>.key --out <image> [--counter <n>] [--tier application|full]");
    Console.Error.WriteLine("               [--profiles <p1,p2>] [--platform <v>] [--budget <bytes>] <assembly.pe>...");
    Console.Error.WriteLine("       otapack --verify <image> [--pubkey <prefix>.pem]");
    return code;
}
