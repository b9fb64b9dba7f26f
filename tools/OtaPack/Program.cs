using AliyunIot.OtaPack;
using OtaPartition;

// otapack --version 1.2.0 --out app.img [--budget 98304] AliyunIot.pe Esp32App.pe ...
// otapack --verify app.img
string version = null, output = null, verify = null;
int budget = OtaImagePacker.DefaultBudgetBytes;
var inputs = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--version": version = Next(ref i); break;
        case "--out": output = Next(ref i); break;
        case "--budget": budget = int.Parse(Next(ref i)); break;
        case "--verify": verify = Next(ref i); break;
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

try
{
    if (verify != null)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(verify));
        var storage = new FolderStorage(folder);
        var header = OtaImageReader.Validate(storage, Path.GetFileName(verify), new byte[4096]);
        Console.WriteLine($"{verify}: valid OTA image, version {header.Version}, {header.TotalLength} bytes");
        foreach (var entry in header.Entries)
        {
            Console.WriteLine($"  {entry.Name,-32} {entry.Length,8} bytes  crc32 {entry.Crc32:x8}");
        }

        return 0;
    }

    if (version == null || output == null || inputs.Count == 0)
    {
        return Usage(2);
    }

    var assemblies = inputs.Select(p => (Path.GetFileName(p), File.ReadAllBytes(p))).ToList();
    var packed = OtaImagePacker.Pack(version, assemblies);
    File.WriteAllBytes(output, packed.Image);
    Console.WriteLine($"image    {output}");
    Console.WriteLine($"version  {version}");
    foreach (var entry in packed.Header.Entries)
    {
        Console.WriteLine($"  {entry.Name,-32} {entry.Length,8} bytes  crc32 {entry.Crc32:x8}");
    }

    Console.WriteLine($"size     {packed.Image.Length} bytes");
    Console.WriteLine($"MD5      {packed.Md5Hex}");
    Console.WriteLine($"SHA-256  {packed.Sha256Hex}");
    if (packed.Image.Length > budget)
    {
        Console.WriteLine($"WARNING: {packed.Image.Length} bytes exceed the budget of {budget} bytes: two slots plus device.json must fit the 256 KB I:\\ of a 4 MB module (see docs/ota.md)");
    }

    return 0;
}
catch (Exception ex) when (ex is IOException || ex is OtaImageException || ex is UnauthorizedAccessException || ex is FormatException)
{
    Console.Error.WriteLine("otapack: " + ex.Message);
    return 1;
}

string Next(ref int i)
{
    if (i + 1 >= args.Length)
    {
        throw new FormatException(args[i] + " needs a value");
    }

    return args[++i];
}

static int Usage(int code)
{
    Console.Error.WriteLine("usage: otapack --version <v> --out <image> [--budget <bytes>] <assembly.pe>...");
    Console.Error.WriteLine("       otapack --verify <image>");
    return code;
}
