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
    private readonly string _platformDir;

    public FlashScriptTests()
    {
        _loader = Path.Combine(_temp.Path, "Loader.bin");
        File.WriteAllBytes(_loader, new byte[] { 1, 2, 3 });

        // A product's Release output: the core, two components, the application tier, libraries the loader's image
        // already holds, and the build's list of what it references (a lean build: the esp32-wroom profile).
        _platformDir = Path.Combine(_temp.Path, "Release");
        Directory.CreateDirectory(_platformDir);
        File.WriteAllBytes(Path.Combine(_platformDir, "AliyunIot.pe"), new byte[] { 10, 11, 12, 13, 14 });
        File.WriteAllBytes(Path.Combine(_platformDir, "AliyunIot.Thing.pe"), new byte[] { 20, 21, 22, 23 });
        File.WriteAllBytes(Path.Combine(_platformDir, "AliyunIot.Time.pe"), new byte[] { 30 });
        File.WriteAllBytes(Path.Combine(_platformDir, "Esp32App.pe"), new byte[] { 40, 41, 42, 43, 44, 45, 46 });
        File.WriteAllBytes(Path.Combine(_platformDir, "OtaPartition.pe"), new byte[] { 50, 51, 52 });
        WriteManifest(_platformDir, "esp32-wroom", "AliyunIot.pe", "AliyunIot.Time.pe", "AliyunIot.Thing.pe");
        _ota = Path.Combine(_temp.Path, "app.img");
        File.WriteAllBytes(_ota, new byte[] { 9 });
        _work = Path.Combine(_temp.Path, "work");
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>Where flash.ps1 writes the platform image (Loader.bin + the platform assemblies) in the work folder.</summary>
    private string Platform => Path.Combine(_work, "platform.bin");

    // The pinned nanoCLR build (flash.ps1 $script:FirmwarePin) and, from its partition tables, the deploy addresses.
    private const string PinnedFirmware = "1.12.4.51";

    public static TheoryData<string, string> Targets() => new()
    {
        { "ESP32_REV0", "0x1C0000" },
        { "ESP32_REV3", "0x1C0000" },
        { "ESP32_PSRAM_REV0", "0x1C0000" },
        { "ESP32_PSRAM_REV3", "0x1C0000" },
        { "ESP32_S3_QUAD", "0x1B0000" },
        { "ESP32_S3_OCTAL", "0x1B0000" },
    };

    [PwshTheory]
    [InlineData("ESP32_REV3", "esp32-wroom")]
    [InlineData("ESP32_PSRAM_REV3", "esp32-wrover")]
    [InlineData("ESP32_S3_OCTAL", "esp32s3-psram")]
    public void The_target_chooses_the_board_profile_written_to_device_json(string target, string profile)
    {
        var (exit, output, error) = Run(
            "-WhatIf", "-Target", target, "-SerialPort", "COM5",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", _loader, "-OtaImage", _ota, "-WorkDir", _work);

        Assert.True(exit == 0, error);
        Assert.Contains(@"would write I:\device.json (", output);
        Assert.Contains(") with profile " + profile, output);

        // The firmware's profile table decides code OTA; flash.ps1 must agree: without it the application goes
        // into the platform tier and no slot image is written.
        bool codeOta = AliyunIot.Config.BoardProfile.Find(profile).CodeOta;
        Assert.Equal(!codeOta, output.Contains("+ Esp32App.pe 7 B = 28 B", StringComparison.Ordinal));
        Assert.Equal(codeOta, output.Contains(@"write I:\slotA.img from " + _ota, StringComparison.Ordinal));
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
                $"nanoff --update --target {target} --fwversion {PinnedFirmware} --serialport COM5 --masserase",
                $"nanoff --target {target} --serialport COM5 --deploy --image {Platform} --address {address}",
                $"nanoff --networkdeployment {Path.Combine(_work, "network.json")}",
                $"nanoff --filedeployment {Path.Combine(_work, "deploy.json")}",
                "nanoff --platform esp32 --serialport COM5 --devicedetails",
            },
            NanoffLines(output));
        Assert.Contains("# would reboot the board into the provisioned application", output);
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
                $"nanoff --update --platform esp32 --fwversion {PinnedFirmware} --serialport /dev/ttyUSB0",
                $"nanoff --nanodevice --serialport /dev/ttyUSB0 --deploy --image {Platform}",
                $"nanoff --filedeployment {Path.Combine(_work, "deploy.json")}",
                "nanoff --platform esp32 --serialport /dev/ttyUSB0 --devicedetails",
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
            "-WhatIf", "-Target", "ESP32_S3_QUAD", "-Batch", csv, "-SkipFirmware",
            "-LoaderImage", _loader, "-OtaImage", _ota, "-WorkDir", _work);

        Assert.True(exit == 0, error);
        Assert.Equal(
            new[]
            {
                $"nanoff --target ESP32_S3_QUAD --serialport COM5 --deploy --image {Platform} --address 0x1B0000",
                $"nanoff --filedeployment {Path.Combine(_work, "deploy.json")}",
                "nanoff --platform esp32 --serialport COM5 --devicedetails",
                $"nanoff --target ESP32_S3_QUAD --serialport COM6 --deploy --image {Platform} --address 0x1B0000",
                $"nanoff --filedeployment {Path.Combine(_work, "deploy.json")}",
                "nanoff --platform esp32 --serialport COM6 --devicedetails",
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

    [PwshFact]
    public void Another_firmware_line_moves_the_classic_esp32_deploy_address_with_it()
    {
        var (exit, output, error) = Run(
            "-WhatIf", "-Target", "ESP32_REV3", "-FirmwareVersion", "1.14.0.20", "-SerialPort", "COM5",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", _loader, "-OtaImage", _ota, "-WorkDir", _work);

        Assert.True(exit == 0, error);
        Assert.Equal("nanoff --update --target ESP32_REV3 --fwversion 1.14.0.20 --serialport COM5", NanoffLines(output)[0]);
        Assert.Equal($"nanoff --target ESP32_REV3 --serialport COM5 --deploy --image {Platform} --address 0x1E0000", NanoffLines(output)[1]);
    }

    [Fact]
    public void The_firmware_pin_names_the_core_library_every_packages_config_uses()
    {
        string root = RepositoryRoot();
        string script = File.ReadAllText(Path.Combine(root, "flash.ps1"));
        var pin = System.Text.RegularExpressions.Regex.Match(script, @"FirmwarePin = \[ordered\]@\{ Version = '([0-9.]+)'; CoreLibrary = '([0-9.]+)' \}");
        Assert.True(pin.Success, "flash.ps1 has the firmware pin");
        Assert.Equal(PinnedFirmware, pin.Groups[1].Value);
        string[] configs = Directory.GetFiles(root, "packages.config", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar))
            .ToArray();
        Assert.NotEmpty(configs);
        foreach (string config in configs)
        {
            var core = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(config), "id=\"nanoFramework.CoreLibrary\" version=\"([0-9.]+)\"");
            Assert.True(core.Success, config + " references nanoFramework.CoreLibrary");
            Assert.True(core.Groups[1].Value == pin.Groups[2].Value, config + ": CoreLibrary " + core.Groups[1].Value + " but the firmware is pinned for " + pin.Groups[2].Value + " (re-pin flash.ps1 with the packages)");
        }
    }

    [PwshFact]
    public void A_file_nanoff_failed_to_deploy_fails_the_run_although_nanoff_exits_0_and_the_board_is_not_rebooted()
    {
        string log = FakeNanoff(failFileDeployment: true);
        var (exit, output, error) = Run(
            "-Target", "ESP32_PSRAM_REV3", "-SerialPort", "COM5", "-SkipFirmware",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", _loader, "-OtaImage", _ota, "-WorkDir", _work);

        Assert.NotEqual(0, exit);
        Assert.Contains("did not deploy every file", output + error);
        Assert.Contains(@"Error deploying content file " + _ota + @" to I:\slotA.img", output + error);
        string[] calls = File.ReadAllLines(log);
        Assert.Equal(2, calls.Length);
        Assert.StartsWith("--filedeployment ", calls[1]);
        AssertNoSecrets(output + error);
        Assert.False(File.Exists(Path.Combine(_work, "device.json")), "device.json (it holds the secret) is removed after the failed step");
        foreach (string left in Directory.Exists(_work) ? Directory.GetFiles(_work) : Array.Empty<string>())
        {
            SecretAssert.NotIn(Secret, File.ReadAllText(left), left);
        }
    }

    [PwshFact]
    public void A_real_run_ends_with_the_reboot_after_the_file_deployment()
    {
        string log = FakeNanoff(failFileDeployment: false);
        var (exit, output, error) = Run(
            "-Target", "ESP32_S3_QUAD", "-SerialPort", "COM7",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", _loader, "-OtaImage", _ota, "-WorkDir", _work);

        Assert.True(exit == 0, error);
        string[] calls = File.ReadAllLines(log);
        Assert.Equal(
            new[]
            {
                $"--update --target ESP32_S3_QUAD --fwversion {PinnedFirmware} --serialport COM7",
                $"--target ESP32_S3_QUAD --serialport COM7 --deploy --image {Platform} --address 0x1B0000",
                $"--filedeployment {Path.Combine(_work, "deploy.json")}",
                "--platform esp32 --serialport COM7 --devicedetails",
            },
            calls);
        AssertNoSecrets(output + error);
    }

    [PwshFact]
    public void The_platform_tier_is_the_loader_the_core_and_the_products_components_each_padded_to_4_bytes()
    {
        FakeNanoff(failFileDeployment: false);
        var (exit, output, error) = Run(
            "-Target", "ESP32_PSRAM_REV3", "-SerialPort", "COM5", "-SkipFirmware",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", _loader, "-OtaImage", _ota, "-WorkDir", _work);

        Assert.True(exit == 0, error);
        Assert.Contains("# platform tier (deployment region, runs from flash): Loader.bin 3 B + AliyunIot.pe 5 B + AliyunIot.Time.pe 1 B + AliyunIot.Thing.pe 4 B = 20 B;", output);
        Assert.Equal(
            new byte[] { 1, 2, 3, 0, 10, 11, 12, 13, 14, 0, 0, 0, 30, 0, 0, 0, 20, 21, 22, 23 },
            File.ReadAllBytes(Platform));
        Assert.DoesNotContain("Esp32App.pe", output);
        var files = DeployedFiles();
        Assert.Equal(_ota, files[@"I:\slotA.img"]);
        Assert.Null(files[@"I:\slotB.img"]);
    }

    [PwshTheory]
    [InlineData("ESP32_REV0")]
    [InlineData("ESP32_REV3")]
    public void Without_code_ota_the_application_runs_from_flash_in_the_platform_image_and_no_slot_image_is_deployed(string target)
    {
        FakeNanoff(failFileDeployment: false);
        var (exit, output, error) = Run(
            "-Target", target, "-SerialPort", "COM5", "-SkipFirmware",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", _loader, "-OtaImage", Path.Combine(_temp.Path, "absent.img"), "-WorkDir", _work);

        Assert.True(exit == 0, error);
        Assert.Contains("# platform tier (deployment region, runs from flash): Loader.bin 3 B + AliyunIot.pe 5 B + AliyunIot.Time.pe 1 B + AliyunIot.Thing.pe 4 B + Esp32App.pe 7 B = 28 B;", output);
        Assert.Equal(
            new byte[] { 1, 2, 3, 0, 10, 11, 12, 13, 14, 0, 0, 0, 30, 0, 0, 0, 20, 21, 22, 23, 40, 41, 42, 43, 44, 45, 46, 0 },
            File.ReadAllBytes(Platform));

        // device.json is written; every slot file and the slot state are deleted (no SourceFilePath), none written.
        var files = DeployedFiles();
        Assert.NotNull(files[@"I:\device.json"]);
        foreach (string slotFile in new[] { @"I:\slotA.img", @"I:\slotB.img", @"I:\manifest", @"I:\manifest.new", @"I:\download", @"I:\download.new" })
        {
            Assert.True(files.ContainsKey(slotFile), slotFile + " is deleted");
            Assert.Null(files[slotFile]);
        }

        Assert.DoesNotContain("No -OtaPublicKey", output + error);
        AssertNoSecrets(output + error);
    }

    [PwshFact]
    public void WhatIf_names_the_platform_tier_and_writes_no_file()
    {
        var (exit, output, error) = Run(
            "-WhatIf", "-Target", "ESP32_REV3", "-SerialPort", "COM5",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", _loader, "-OtaImage", _ota, "-WorkDir", _work);

        Assert.True(exit == 0, error);
        Assert.Contains("Loader.bin 3 B + AliyunIot.pe 5 B + AliyunIot.Time.pe 1 B + AliyunIot.Thing.pe 4 B + Esp32App.pe 7 B = 28 B", output);
        Assert.Contains(@"# no OTA image: the esp32-wroom profile has no code OTA and runs Esp32App.pe from flash; would delete I:\slotA.img, I:\manifest", output);
        Assert.DoesNotContain(@"write I:\slotA.img", output);
        Assert.False(Directory.Exists(_work), "-WhatIf must not write any file");
    }

    [PwshFact]
    public void A_product_folder_without_the_builds_list_is_refused_before_any_board()
    {
        // .pe files alone (say, from an older build) do not say what the product references.
        File.Delete(Path.Combine(_platformDir, "Esp32App.platform.txt"));
        var (exit, output, error) = Run(
            "-WhatIf", "-Target", "ESP32_REV3", "-SerialPort", "COM5",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", _loader, "-OtaImage", _ota);

        Assert.Equal(2, exit);
        Assert.Contains("'" + _platformDir + "' has no Esp32App.platform.txt", error);
        Assert.Contains("build firmware/Esp32App (Release)", error);
        Assert.Empty(NanoffLines(output));
    }

    [PwshFact]
    public void A_list_naming_a_missing_assembly_is_refused_with_its_name()
    {
        WriteManifest(_platformDir, "esp32-wroom", "AliyunIot.pe", "AliyunIot.Time.pe", "AliyunIot.RemoteConfig.pe");
        var (exit, output, error) = Run(
            "-WhatIf", "-Target", "ESP32_PSRAM_REV3", "-SerialPort", "COM5",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", _loader, "-OtaImage", _ota);

        Assert.Equal(2, exit);
        Assert.Contains("names AliyunIot.RemoteConfig.pe, which is not in '" + _platformDir + "'", error);
        Assert.Empty(NanoffLines(output));
    }

    [PwshFact]
    public void A_stale_component_left_by_an_earlier_build_is_not_deployed()
    {
        // The folder once held a full build: its Shadow and LogPost assemblies are still there.
        File.WriteAllBytes(Path.Combine(_platformDir, "AliyunIot.Shadow.pe"), new byte[] { 60, 61 });
        File.WriteAllBytes(Path.Combine(_platformDir, "AliyunIot.LogPost.pe"), new byte[] { 70 });
        FakeNanoff(failFileDeployment: false);
        var (exit, output, error) = Run(
            "-Target", "ESP32_REV3", "-SerialPort", "COM5", "-SkipFirmware",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", _loader, "-WorkDir", _work);

        Assert.True(exit == 0, error);
        Assert.Equal(
            new byte[] { 1, 2, 3, 0, 10, 11, 12, 13, 14, 0, 0, 0, 30, 0, 0, 0, 20, 21, 22, 23, 40, 41, 42, 43, 44, 45, 46, 0 },
            File.ReadAllBytes(Platform));
        Assert.Contains("# not deployed (in '" + _platformDir + "' but not in its Esp32App.platform.txt, left by an earlier build): AliyunIot.LogPost.pe, AliyunIot.Shadow.pe", output);
    }

    [PwshFact]
    public void A_full_build_on_a_board_without_psram_is_refused_unless_forced()
    {
        WriteManifest(_platformDir, "full", "AliyunIot.pe", "AliyunIot.Time.pe", "AliyunIot.Thing.pe");
        string[] arguments =
        {
            "-WhatIf", "-Target", "ESP32_REV3", "-SerialPort", "COM5",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", _loader, "-WorkDir", _work,
        };

        var (exit, output, error) = Run(arguments);
        Assert.Equal(2, exit);
        Assert.Contains("-Target ESP32_REV3 is an ESP32 without PSRAM (profile esp32-wroom), but the build in -PlatformDir was made for BoardProfile 'full'", error);
        Assert.Contains("-p:BoardProfile=esp32-wroom", error);
        Assert.Empty(NanoffLines(output));

        (exit, output, error) = Run(arguments.Append("-Force").ToArray());
        Assert.True(exit == 0, error);
        Assert.Contains("WARNING: -Force: -Target ESP32_REV3 is an ESP32 without PSRAM", output + error);
        Assert.Contains($"nanoff --target ESP32_REV3 --serialport COM5 --deploy --image {Platform} --address 0x1C0000", output);

        // A board with PSRAM takes either build.
        (exit, _, error) = Run(arguments.Select(a => a == "ESP32_REV3" ? "ESP32_PSRAM_REV3" : a).Append("-OtaImage").Append(_ota).ToArray());
        Assert.True(exit == 0, error);
    }

    [PwshFact]
    public void The_esp32_c3_is_refused_with_the_reason_and_the_measured_numbers()
    {
        var (exit, output, error) = Run(
            "-WhatIf", "-Target", "ESP32_C3", "-SerialPort", "COM7",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", _loader, "-OtaImage", _ota, "-Force");

        Assert.Equal(2, exit);
        Assert.Contains("the ESP32-C3 (-Target ESP32_C3) is not supported", error);
        Assert.Contains("~54 KB", error);
        Assert.Contains("~11,900 B", error);
        Assert.Contains("40,960 B", error);
        Assert.Empty(NanoffLines(output));
        AssertNoSecrets(output + error);
    }

    /// <summary>
    /// The real project's list, written by its MSBuild target (run with `dotnet msbuild`; the nanoFramework imports are
    /// absent, so only this target runs) into a folder that also holds every component a full build leaves: a lean
    /// build deploys the core and its four components (no Ota: the core reports the version), nothing else.
    /// </summary>
    [PwshFact]
    public void The_lean_builds_list_written_by_Esp32App_nfproj_deploys_only_its_components()
    {
        string release = Path.Combine(_temp.Path, "RealRelease");
        Directory.CreateDirectory(release);
        string[] all = { "AliyunIot", "AliyunIot.Thing", "AliyunIot.Sensors", "AliyunIot.Shadow", "AliyunIot.LogPost", "AliyunIot.Ota", "AliyunIot.Provisioning", "AliyunIot.Time", "AliyunIot.RemoteConfig", "Esp32App" };
        for (int i = 0; i < all.Length; i++)
        {
            File.WriteAllBytes(Path.Combine(release, all[i] + ".pe"), new byte[] { (byte)(i + 1), 0, 0, 0 });
        }

        WritePlatformManifestWithMsbuild(release, "esp32-wroom");
        FakeNanoff(failFileDeployment: false);
        var (exit, output, error) = Run(
            "-Target", "ESP32_REV3", "-SerialPort", "COM5", "-SkipFirmware",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", _loader, "-WorkDir", _work, "-PlatformDir", release);

        Assert.True(exit == 0, error);
        // Loader.bin (3 B + 1 padding), then AliyunIot, Thing, Sensors, Time, RemoteConfig and Esp32App: 4 B each.
        byte[] expected = new byte[] { 1, 2, 3, 0 }.Concat(new byte[] { 1, 2, 3, 8, 9, 10 }.SelectMany(b => new byte[] { b, 0, 0, 0 })).ToArray();
        Assert.Equal(expected, File.ReadAllBytes(Platform));
        Assert.Contains("not in its Esp32App.platform.txt, left by an earlier build): AliyunIot.LogPost.pe, AliyunIot.Ota.pe, AliyunIot.Provisioning.pe, AliyunIot.Shadow.pe", output);

        // The default build lists all eight components, and is refused on the same board.
        WritePlatformManifestWithMsbuild(release, "");
        (exit, _, error) = Run(
            "-WhatIf", "-Target", "ESP32_REV3", "-SerialPort", "COM5",
            "-ProductKey", "a1B2c3D4e5F", "-DeviceName", "sensor-001", "-DeviceSecret", Secret,
            "-LoaderImage", _loader, "-PlatformDir", release);
        Assert.Equal(2, exit);
        Assert.Contains("made for BoardProfile 'full'", error);
        Assert.Equal(
            new[] { "profile=full" }.Concat(all.Take(9).Select(a => a + ".pe")),
            File.ReadAllLines(Path.Combine(release, "Esp32App.platform.txt")).Where(l => !l.StartsWith('#')));
    }

    private static void WriteManifest(string folder, string profile, params string[] assemblies) =>
        File.WriteAllLines(Path.Combine(folder, "Esp32App.platform.txt"), new[] { "# test", "profile=" + profile }.Concat(assemblies));

    private static void WritePlatformManifestWithMsbuild(string outDir, string boardProfile)
    {
        string project = Path.Combine(RepositoryRoot(), "firmware", "Esp32App", "Esp32App.nfproj");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "msbuild", project, "-nologo", "-v:q", "-t:WritePlatformManifest", "-p:BoardProfile=" + boardProfile, "-p:OutDir=" + outDir + Path.DirectorySeparatorChar })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start);
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "dotnet msbuild -t:WritePlatformManifest failed: " + stdout + stderr);
    }

    /// <summary>A stand-in nanoff on PATH that logs its arguments and prints what the real one prints for file deployment.</summary>
    private string FakeNanoff(bool failFileDeployment)
    {
        string bin = Path.Combine(_temp.Path, "bin");
        Directory.CreateDirectory(bin);
        string log = Path.Combine(_temp.Path, "nanoff-calls.log");
        string fileStep = failFileDeployment
            ? $"echo 'Deploying file {_ota} to I:\\slotA.img...'; echo 'Error deploying content file {_ota} to I:\\slotA.img'"
            : $"echo 'Deploying file {_ota} to I:\\slotA.img...OK'";
        string script = "#!/bin/sh\n" +
                        $"echo \"$*\" >> '{log}'\n" +
                        $"case \"$*\" in *--filedeployment*) cp \"$2\" '{SpecCopy}'; " + fileStep + ";; esac\n" +
                        "exit 0\n";
        string path = Path.Combine(bin, "nanoff");
        File.WriteAllText(path, script);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        _path = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        return log;
    }

    private string _path;

    /// <summary>Where the stand-in nanoff keeps the --filedeployment spec (flash.ps1 deletes its own copy).</summary>
    private string SpecCopy => Path.Combine(_temp.Path, "deploy-spec.json");

    /// <summary>The files the last file deployment names: destination to source, null for a deletion.</summary>
    private Dictionary<string, string> DeployedFiles()
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(SpecCopy));
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in document.RootElement.GetProperty("Files").EnumerateArray())
        {
            files[file.GetProperty("DestinationFilePath").GetString()] =
                file.TryGetProperty("SourceFilePath", out var source) ? source.GetString() : null;
        }

        return files;
    }

    private (int Exit, string Output, string Error) Run(params string[] arguments)
    {
        string script = Path.Combine(RepositoryRoot(), "flash.ps1");
        string[] withPlatform = arguments.Contains("-PlatformDir") ? arguments : arguments.Concat(new[] { "-PlatformDir", _platformDir }).ToArray();
        return Pwsh.RunFile(script, withPlatform, _temp.Path, _path);
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
