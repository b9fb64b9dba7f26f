using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Device;

/// <summary>
/// flash.ps1 -WhatIf prints the exact nanoff command lines for every supported target, masks every secret, and
/// refuses bad input before touching a board. Runs the real script with pwsh; skipped (not passed) without pwsh.
/// </summary>
public sealed class FlashScriptTests : IDisposable
{
    private const string Secret = "Sx9dA7kQ2mZ4pL8w";
    private const string WifiPassword = "wifi-pass-Q7Z";
    private readonly TempFolder _temp = new TempFolder("flash-ps1");
    private readonly string _loader;
    private readonly string _ota;
    private readonly string _work;

    public FlashScriptTests()
    {
        _loader = Path.Combine(_temp.Path, "Loader.bin");
        File.WriteAllBytes(_loader, new byte[] { 1, 2, 3 });
        _ota = Path.Combine(_temp.Path, "app.img");
        File.WriteAllBytes(_ota, new byte[] { 9 });
        _work = Path.Combine(_temp.Path, "work");
    }

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string> Targets() => new()
    {
        { "ESP32_REV0", "0x1E0000" },
        { "ESP32_REV3", "0x1E0000" },
        { "ESP32_PSRAM_REV0", "0x1E0000" },
        { "ESP32_PSRAM_REV3", "0x1E0000" },
        { "ESP32_S3_QUAD", "0x1B0000" },
        { "ESP32_S3_OCTAL", "0x1B0000" },
        { "ESP32_C3", "0x1B0000" },
    };

    [PwshTheory]
    [InlineData("ESP32_REV3", "esp32-wroom")]
    [InlineData("ESP32_PSRAM_REV3", "esp32-wrover")]
    [InlineData("ESP32_S3_OCTAL", "esp32s3-psram")]
    [InlineData("ESP32_C3", "esp32c3")]
    public void The_target_chooses_the_board_profile_written_to_device_json(string target, string profile)
    {
        var (exit, output, error) = Run(
            "-WhatIf", "-Target", target, "-SerialPort", "COM5",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", _loader, "-OtaImage", _ota, "-WorkDir", _work);

        Assert.True(exit == 0, error);
        Assert.Contains(@"would write I:\device.json (", output);
        Assert.Contains(") with profile " + profile, output);
    }

    [PwshTheory]
    [MemberData(nameof(Targets))]
    public void WhatIf_prints_the_exact_nanoff_lines_for_each_target(string target, string address)
    {
        var (exit, output, error) = Run(
            "-WhatIf", "-Target", target, "-SerialPort", "COM5",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", _loader, "-OtaImage", _ota, "-WorkDir", _work,
            "-WifiSsid", "plant-floor", "-WifiPassword", WifiPassword, "-MassErase");

        Assert.True(exit == 0, error);
        Assert.Equal(
            new[]
            {
                $"nanoff --update --target {target} --serialport COM5 --masserase",
                $"nanoff --target {target} --serialport COM5 --deploy --image {_loader} --address {address}",
                $"nanoff --filedeployment {Path.Combine(_work, "deploy.json")}",
                $"nanoff --networkdeployment {Path.Combine(_work, "network.json")}",
            },
            NanoffLines(output));
        AssertNoSecrets(output + error);
        Assert.False(Directory.Exists(_work), "-WhatIf must not write any file");
    }

    [PwshFact]
    public void WhatIf_without_target_lets_nanoff_detect_and_deploys_over_the_wire_protocol()
    {
        var (exit, output, error) = Run(
            "-WhatIf", "-SerialPort", "/dev/ttyUSB0",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", _loader, "-OtaImage", _ota, "-WorkDir", _work);

        Assert.True(exit == 0, error);
        Assert.Equal(
            new[]
            {
                "nanoff --update --platform esp32 --serialport /dev/ttyUSB0",
                $"nanoff --nanodevice --serialport /dev/ttyUSB0 --deploy --image {_loader}",
                $"nanoff --filedeployment {Path.Combine(_work, "deploy.json")}",
            },
            NanoffLines(output));
        Assert.Contains(@"write I:\slotA.img from " + _ota, output);
        Assert.Contains(@"I:\manifest", output);
    }

    [PwshFact]
    public void WhatIf_batch_provisions_every_row_on_its_port_and_masks_every_secret()
    {
        string csv = Path.Combine(_temp.Path, "units.csv");
        File.WriteAllText(csv, "productKey,deviceName,deviceSecret,serialPort\n" +
                               $"a1B2c3D4e5F,unit-0001,{Secret},COM5\n" +
                               "a1B2c3D4e5F,unit-0002,Zz11Yy22Xx33,COM6\n");

        var (exit, output, error) = Run(
            "-WhatIf", "-Target", "ESP32_C3", "-Batch", csv, "-SkipFirmware",
            "-LoaderImage", _loader, "-OtaImage", _ota, "-WorkDir", _work);

        Assert.True(exit == 0, error);
        Assert.Equal(
            new[]
            {
                $"nanoff --target ESP32_C3 --serialport COM5 --deploy --image {_loader} --address 0x1B0000",
                $"nanoff --filedeployment {Path.Combine(_work, "deploy.json")}",
                $"nanoff --target ESP32_C3 --serialport COM6 --deploy --image {_loader} --address 0x1B0000",
                $"nanoff --filedeployment {Path.Combine(_work, "deploy.json")}",
            },
            NanoffLines(output));
        Assert.Contains("would wait for the next board (2 of 2)", output);
        AssertNoSecrets(output + error);
        Assert.DoesNotContain("Zz11Yy22Xx33", output + error);
    }

    [PwshFact]
    public void Bad_batch_row_is_refused_before_any_board_with_the_line_and_field_named()
    {
        string csv = Path.Combine(_temp.Path, "units.csv");
        File.WriteAllText(csv, "productKey,deviceName,deviceSecret\n" +
                               $"a1B2c3D4e5F,ok-unit-1,{Secret}\n" +
                               $"a1B2c3D4e5F,x,{Secret}\n");

        var (exit, output, error) = Run(
            "-WhatIf", "-Target", "ESP32_REV3", "-SerialPort", "COM5", "-Batch", csv,
            "-LoaderImage", _loader, "-OtaImage", _ota, "-WorkDir", _work);

        Assert.Equal(2, exit);
        Assert.Contains("line 3", error);
        Assert.Contains("deviceName 'x'", error);
        Assert.Empty(NanoffLines(output));
        AssertNoSecrets(output + error);
    }

    [PwshFact]
    public void Missing_loader_image_and_serial_port_are_reported_together()
    {
        var (exit, output, error) = Run(
            "-WhatIf", "-Target", "ESP32_REV3",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", Path.Combine(_temp.Path, "missing.bin"), "-OtaImage", _ota);

        Assert.Equal(2, exit);
        Assert.Contains("-SerialPort is required", error);
        Assert.Contains("missing.bin", error);
        Assert.Empty(NanoffLines(output));
    }

    private (int Exit, string Output, string Error) Run(params string[] arguments)
    {
        string script = Path.Combine(RepositoryRoot(), "flash.ps1");
        return Pwsh.RunFile(script, arguments, _temp.Path);
    }

    private static string[] NanoffLines(string output) =>
        output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("nanoff ", StringComparison.Ordinal)).ToArray();

    private static void AssertNoSecrets(string text)
    {
        SecretAssert.NotIn(Secret, text, "flash.ps1 output");
        SecretAssert.NotIn(WifiPassword, text, "flash.ps1 output");
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "flash.ps1")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("flash.ps1 not found above " + AppContext.BaseDirectory);
    }
}
