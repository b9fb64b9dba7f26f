#Requires -Version 7.0
<#
.SYNOPSIS
    Flashes ESP32 boards with nanoFramework, the stable loader and the initial application image, and provisions
    each unit's I:\device.json. One unit, or a batch from a CSV, one board after another.

.DESCRIPTION
    Steps for every board (each one a nanoff call, printed by -WhatIf instead of run):
      1. nanoFramework firmware (nanoCLR), pinned   nanoff --update --fwversion <pinned>
      2. the platform tier (deployment region)     nanoff --deploy --image platform.bin --address <per target>
         platform.bin = Loader.bin (loader, OtaPartition, framework) + the .pe files the product's build lists in
         Esp32App.platform.txt (AliyunIot.pe, the core, and the AliyunIot.<Component>.pe files it references),
         each padded to 4 bytes (the deployment region's layout): these run from flash and cost only their runtime
         tables (~8-10 % of the .pe) in the heap, for good - so nothing else in the folder is deployed
         On a profile without code OTA (esp32-wroom: -Target ESP32_REV0/REV3) Esp32App.pe (the application)
         follows the components: the whole firmware runs from flash and the loader starts it directly
      3. optional WiFi / CA in the config block    nanoff --networkdeployment network.json
      4. I:\device.json + the initial OTA image    nanoff --filedeployment deploy.json
         (no OTA image on a profile without code OTA: the stale slot files are deleted, -OtaImage is not used)
      5. reboot into the provisioned application  nanoff --platform esp32 --devicedetails (resets the chip)
    Firmware: pinned to the nanoCLR build whose native assemblies match the packages in packages.config
    ($script:FirmwarePin below); any other build can stop at boot with "Firmware version does not match managed
    code version". -FirmwareVersion overrides it (and moves the deploy address with it).
    Boards: an ESP32 without PSRAM (-Target ESP32_REV0/REV3, profile esp32-wroom) takes the lean build
    (msbuild firmware/Esp32App -p:BoardProfile=esp32-wroom, docs/board.md): a full build is refused unless -Force.
    The ESP32-C3 (-Target ESP32_C3) is refused: it is not supported (its heap cannot hold the firmware).
    Deploy address: the start of the 'deploy' partition of the pinned firmware's partition table
    (nf-interpreter targets/ESP32/_IDF/<chip>/partitions_nanoclr_*.csv): 0x1C0000 on the classic ESP32 up to
    firmware 1.12.x, 0x1E0000 from 1.14 (IDF 5.4), 0x1B0000 on S3/C3. Without -Target, nanoff picks the firmware
    itself (--platform esp32) and the loader is deployed over the nanoFramework wire protocol (--nanodevice),
    which asks the running device for its deployment region instead of using the table.
    nanoff's file deployment never reboots the board and exits 0 even when a file failed: this script reads its
    output and stops on a file error, and ends with a reset so the loader starts the provisioned image.

    Secrets (DeviceSecret, WiFi password) are never printed: they only go into files in a private temporary
    folder that is deleted afterwards, and -WhatIf masks them.

.PARAMETER Target
    nanoFramework firmware target. Omit to let nanoff detect the chip.
.PARAMETER FirmwareVersion
    nanoCLR version to flash (default: the pinned build that matches the packages).
.PARAMETER SerialPort
    Serial port of the board (COM5, /dev/ttyUSB0, /dev/cu.usbserial-0001). `nanoff --listports` lists them.
.PARAMETER ProductKey
    ProductKey of the unit (single-unit mode).
.PARAMETER DeviceName
    DeviceName of the unit (single-unit mode).
.PARAMETER DeviceSecret
    DeviceSecret of the unit (single-unit mode). If omitted you are prompted for it (input hidden).
.PARAMETER Batch
    CSV with the header productKey,deviceName,deviceSecret[,serialPort]: one row per unit.
.PARAMETER ConfigTemplate
    device.json with everything except the identity (endpoint, limits, sensors, ota ...). See docs/device-config.md.
.PARAMETER Region
    Alibaba Cloud region for the legacy endpoint when the template has no endpoint (default cn-shanghai).
.PARAMETER InstanceId
    Enterprise instance id (endpoint.instanceId) when the template has no endpoint.
.PARAMETER LoaderImage
    The Loader's deployment image (firmware/Loader/bin/Release/Loader.bin).
.PARAMETER PlatformDir
    The product's Release output folder (default firmware/Esp32App/bin/Release). The .pe files its
    Esp32App.platform.txt names (written by the build: the core and exactly the components the product
    references, and the BoardProfile it was built for) are deployed with the loader into the deployment region (the
    platform tier, docs/board.md); any other AliyunIot.*.pe there (left by an earlier build) is not. A folder without
    that file, or whose file names a .pe that is missing, is refused. Esp32App.pe is not deployed (it is the
    application tier, carried by the OTA image), except on a profile without code OTA (esp32-wroom), where it is
    deployed after the components and runs from flash.
.PARAMETER OtaImage
    The initial application image (the OTA image tools/OtaPack writes from Esp32App.pe: the application tier). It is
    written to I:\slotA.img; the slot manifest, the download record and slot B are deleted, so the loader starts
    from a clean state: slot A, confirmed, version read from the image header (OtaPartition.SlotStore). Not used on a
    profile without code OTA (esp32-wroom): the application is in platform.bin there and no slot is written.
.PARAMETER OtaPublicKey
    The public half of your OTA signing key (PEM "PUBLIC KEY", written by `otapack keygen --out <prefix>` as
    <prefix>.pem), deployed as I:\ota-signing.pem. The OTA agent installs only images signed with the matching
    private key; without this file every OTA image is refused. It is part of the stable platform: only this script
    writes it (rotation = re-run with the new key). A file holding a PRIVATE key is refused.
.PARAMETER WifiSsid
    Stores WiFi credentials in the device's network configuration (nanoff --networkdeployment).
.PARAMETER WifiPassword
    Password for -WifiSsid (never printed).
.PARAMETER CaFile
    PEM file stored as the device's CA bundle (trusted in addition to the embedded one).
.PARAMETER MassErase
    Erase the whole flash first (wipes I:\ and the config block). Use for a board's first flash.
.PARAMETER SkipFirmware
    Do not flash nanoCLR (it is already current).
.PARAMETER SkipLoader
    Do not deploy the loader.
.PARAMETER SkipOtaImage
    Do not copy the initial OTA image (for re-provisioning device.json only).
.PARAMETER Force
    Flash a board without PSRAM (-Target ESP32_REV0/REV3) with a build that was not made for it (BoardProfile
    other than esp32-wroom: the full composition), which is refused otherwise: its components' runtime tables leave
    the application less free heap than it needs (docs/board.md). Only for a product whose heap you have measured.
.PARAMETER NoPrompt
    Batch mode: do not wait for Enter between boards (each row names its own serialPort).
.PARAMETER WorkDir
    Where the temporary JSON files go (default: a new private temporary folder, deleted afterwards).
.PARAMETER UpdateNanoff
    Update the nanoff .NET tool even if it is installed.
.PARAMETER WhatIf
    Print every nanoff command line (secrets masked) without running anything.

.EXAMPLE
    ./flash.ps1 -Target ESP32_REV3 -SerialPort COM5 -ProductKey a1B2c3D4e5F -DeviceName sensor-001 -MassErase
.EXAMPLE
    ./flash.ps1 -Target ESP32_S3_QUAD -SerialPort /dev/ttyACM0 -Batch units.csv -ConfigTemplate prod.json -WifiSsid plant -WifiPassword ...
.EXAMPLE
    ./flash.ps1 -Target ESP32_REV3 -SerialPort COM7 -ProductKey pk -DeviceName dn -DeviceSecret s -WhatIf
#>
[CmdletBinding()]
param(
    [ValidateSet('ESP32_REV0', 'ESP32_REV3', 'ESP32_PSRAM_REV0', 'ESP32_PSRAM_REV3', 'ESP32_S3_QUAD', 'ESP32_S3_OCTAL', 'ESP32_C3')]
    [string] $Target,
    [string] $FirmwareVersion,
    [string] $SerialPort,
    [string] $ProductKey,
    [string] $DeviceName,
    [string] $DeviceSecret,
    [string] $Batch,
    [string] $ConfigTemplate,
    [string] $Region = 'cn-shanghai',
    [string] $InstanceId,
    [string] $LoaderImage = (Join-Path $PSScriptRoot 'firmware/Loader/bin/Release/Loader.bin'),
    [string] $PlatformDir = (Join-Path $PSScriptRoot 'firmware/Esp32App/bin/Release'),
    [string] $OtaImage = (Join-Path $PSScriptRoot 'build/ota/app.img'),
    [string] $OtaPublicKey,
    [string] $WifiSsid,
    [string] $WifiPassword,
    [string] $CaFile,
    [switch] $MassErase,
    [switch] $SkipFirmware,
    [switch] $SkipLoader,
    [switch] $SkipOtaImage,
    [switch] $Force,
    [switch] $NoPrompt,
    [string] $WorkDir,
    [switch] $UpdateNanoff,
    [switch] $WhatIf
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# ------------------------------------------------------------------------------------------------------------------
# Pure functions: they only build values, so a test can call them (dot-source with -ImportOnly semantics below).
# ------------------------------------------------------------------------------------------------------------------

# The nanoCLR build the packages were checked against: nf-interpreter's version.json was 1.12.4 from 2025-02-25 to
# 2025-09-17; the mscorlib declaration of CoreLibrary 1.17.11 went in on 2025-04-02 (#3141) and no native assembly
# declaration changed after it on that line, whose last build is 1.12.4.51. A test keeps CoreLibrary in every
# packages.config equal to the one named here: bump both together.
$script:FirmwarePin = [ordered]@{ Version = '1.12.4.51'; CoreLibrary = '1.17.11' }

# Deployment-partition start per target and firmware line (the 'deploy' row of nf-interpreter's
# targets/ESP32/_IDF/<chip>/partitions_nanoclr_*.csv at that firmware; the same on every flash size).
function Get-DeployAddress([string] $TargetName, [string] $Firmware) {
    $parts = $Firmware.Split('.')
    $line = ([int]$parts[0]) * 100 + [int]$parts[1]
    switch -Regex ($TargetName) {
        '^ESP32_(PSRAM_)?REV[03]$' {
            if ($line -le 112) { return '0x1C0000' }
            if ($line -ge 114) { return '0x1E0000' }
        }
        '^ESP32_S3_(QUAD|OCTAL)$' { return '0x1B0000' }
        '^ESP32_C3$' { return '0x1B0000' }
    }
    throw "No deploy address known for target '$TargetName' with firmware $Firmware; omit -Target to deploy through the device (--nanodevice)."
}

# device.json "profile" per target (docs/board.md): the board class whose budgets the firmware enforces at boot.
function Get-BoardProfile([string] $TargetName) {
    switch -Regex ($TargetName) {
        '^ESP32_REV[03]$' { return 'esp32-wroom' }
        '^ESP32_PSRAM_REV[03]$' { return 'esp32-wrover' }
        '^ESP32_S3_(QUAD|OCTAL)$' { return 'esp32s3-psram' }
        '^ESP32_C3$' { return 'esp32c3' }
        default { return $null }
    }
}

# Whether the profile takes code over the air (AliyunIot.Config.BoardProfile.CodeOta): not on the boards without
# PSRAM, whose heap cannot hold Esp32App.pe loaded from a slot. No profile (no -Target): today's slot image path.
function Test-CodeOta([string] $ProfileName) {
    return -not ($ProfileName -eq 'esp32-wroom' -or $ProfileName -eq 'esp32c3')
}

# The file the Esp32App build writes next to Esp32App.pe (Esp32App.nfproj, target WritePlatformManifest): a
# "profile=<BoardProfile>" line (full when none was given) and, one a line, the platform tier's .pe files it references.
$script:PlatformManifestName = 'Esp32App.platform.txt'

# The ESP32-C3, measured (issue 12): the framework + loader deployment alone leaves this much of its ~54 KB managed
# heap free, and the application needs this much free at its entry. No component choice closes that gap.
$script:C3FreeAfterDeployment = '~11,900 B'
$script:FreeNeededAtEntry = '40,960 B'

# The platform tier's assemblies in a product's build output, exactly as its build listed them in
# Esp32App.platform.txt (the core first, then the components the product references, in that order), and the
# BoardProfile it was built for. Not Esp32App.pe (the application tier, in the OTA image) unless $WithApplication (a
# profile without code OTA: it runs from flash, last, after everything it references); not OtaPartition.pe or
# framework .pe files (already in Loader.bin). Other AliyunIot.*.pe files in the folder are left out and named in
# Ignored: each would cost its runtime tables in the heap for good. Problems says why the folder cannot be deployed.
function Read-PlatformManifest([string] $Folder, [bool] $WithApplication) {
    $result = [pscustomobject]@{ Profile = $null; Assemblies = @(); Ignored = @(); Problems = @() }
    $manifest = Join-Path $Folder $script:PlatformManifestName
    if (-not (Test-Path -LiteralPath $manifest -PathType Leaf)) {
        $result.Problems += "'$Folder' has no $script:PlatformManifestName (the build's list of the components it references, written next to Esp32App.pe): build firmware/Esp32App (Release) first, or pass -PlatformDir, or -SkipLoader."
        return $result
    }
    $listed = @()
    foreach ($line in (Get-Content -LiteralPath $manifest)) {
        $text = $line.Trim()
        if ($text.Length -eq 0 -or $text.StartsWith('#')) { continue }
        if ($text.StartsWith('profile=')) { $result.Profile = $text.Substring(8); continue }
        if ($text -notmatch '^[A-Za-z0-9_.\-]+\.pe$') { $result.Problems += "$manifest`: line '$text' is neither profile=<name> nor a .pe file name."; continue }
        $listed += $text
        $file = Join-Path $Folder $text
        if (Test-Path -LiteralPath $file -PathType Leaf) { $result.Assemblies += (Resolve-Path -LiteralPath $file).Path }
        else { $result.Problems += "$manifest names $text, which is not in '$Folder': rebuild firmware/Esp32App (Release) so the folder holds what its build references." }
    }
    if (-not $result.Profile) { $result.Problems += "$manifest has no profile= line: rebuild firmware/Esp32App (Release) with this version of the project." }
    if ($listed.Count -eq 0) { $result.Problems += "$manifest names no assembly: rebuild firmware/Esp32App (Release)." }
    if ($WithApplication) {
        $application = Join-Path $Folder 'Esp32App.pe'
        if (Test-Path -LiteralPath $application -PathType Leaf) { $result.Assemblies += (Resolve-Path -LiteralPath $application).Path }
        else { $result.Problems += "'$Folder' has no Esp32App.pe (the application runs from flash on this profile): build firmware/Esp32App (Release) first, or pass -PlatformDir." }
    }
    [string[]] $present = @(Get-ChildItem -LiteralPath $Folder -Filter 'AliyunIot*.pe' -File | ForEach-Object { $_.Name })
    [Array]::Sort($present, [StringComparer]::Ordinal)
    $result.Ignored = @($present | Where-Object { $listed -notcontains $_ })
    return $result
}

# Why a build cannot go onto this target, or $null: a board without PSRAM needs the build made for it
# (BoardProfile esp32-wroom, which leaves out the optional components); any other build leaves the application less
# heap than it needs at its entry. Other targets take any build (the lean one fits them too).
function Test-BuildFitsTarget([string] $TargetName, [string] $BuiltFor) {
    $profileName = Get-BoardProfile $TargetName
    if ($profileName -ne 'esp32-wroom' -or $BuiltFor -eq 'esp32-wroom') { return $null }
    return "-Target $TargetName is an ESP32 without PSRAM (profile esp32-wroom), but the build in -PlatformDir was made for BoardProfile '$BuiltFor' (the full composition, with components such as Shadow, LogPost and Provisioning whose runtime tables stay in its 90 KB heap): the application would start with less than the $script:FreeNeededAtEntry free it needs. Build with -p:BoardProfile=esp32-wroom (docs/board.md, 'Build for a board'), or pass -Force if you have measured this product's heap."
}

# Bytes a file takes in the deployment region: each assembly starts on a 4-byte boundary.
function Get-DeployedLength([long] $Length) {
    return [long](($Length + 3) - (($Length + 3) % 4))
}

# Loader.bin followed by the platform assemblies, each padded to 4 bytes: one deployment image.
function Write-PlatformImage([string] $Path, [string] $Loader, [string[]] $Assemblies) {
    $stream = [System.IO.File]::Create($Path)
    try {
        foreach ($file in @($Loader) + $Assemblies) {
            $bytes = [System.IO.File]::ReadAllBytes($file)
            $stream.Write($bytes, 0, $bytes.Length)
            $padding = (Get-DeployedLength $bytes.Length) - $bytes.Length
            if ($padding -gt 0) { $stream.Write([byte[]]::new($padding), 0, $padding) }
        }
    }
    finally { $stream.Dispose() }
}

# One line per part of the platform image and the total, for -WhatIf and the log.
function Format-PlatformSummary([string] $Loader, [string[]] $Assemblies) {
    $parts = @()
    $total = 0
    $pe = 0
    foreach ($file in @($Loader) + $Assemblies) {
        $length = (Get-Item -LiteralPath $file).Length
        $parts += "$([IO.Path]::GetFileName($file)) $length B"
        $total += Get-DeployedLength $length
        if ($file -ne $Loader) { $pe += $length }
    }
    return "platform tier (deployment region, runs from flash): $($parts -join ' + ') = $total B; their runtime tables take ~8-10 % of their $pe B of .pe in the heap"
}

function Get-UpdateArguments([string] $TargetName, [string] $Port, [bool] $Erase, [string] $Firmware) {
    $arguments = @('--update')
    if ($TargetName) { $arguments += @('--target', $TargetName) } else { $arguments += @('--platform', 'esp32') }
    $arguments += @('--fwversion', $Firmware, '--serialport', $Port)
    if ($Erase) { $arguments += '--masserase' }
    return , $arguments
}

# The last step: nanoff's ESP32 device-details command ends with a hard reset of the chip (EspTool.GetDeviceDetails
# with hardResetAfterCommand), so the loader starts again and finds the image just deployed. (--reset exists
# but only the STM32 path acts on it.)
function Get-RebootArguments([string] $Port) {
    return , @('--platform', 'esp32', '--serialport', $Port, '--devicedetails')
}

# Lines of nanoff's output that mean a file was not deployed although nanoff exits 0 (FileDeploymentManager
# prints these per file and returns OK). "Error deleting file" is not one: deleting a file that is absent is normal.
function Find-NanoffFileErrors([string[]] $Lines) {
    return , @($Lines | Where-Object { $_ -match '^(Error|Exception) deploying content file' -or $_ -match '^Error connecting to (nanoDevice|debug engine)' })
}

function Get-DeployArguments([string] $TargetName, [string] $Port, [string] $Image, [string] $Firmware) {
    if ($TargetName) {
        return , @('--target', $TargetName, '--serialport', $Port, '--deploy', '--image', $Image, '--address', (Get-DeployAddress $TargetName $Firmware))
    }

    # Unknown chip: deploy through the running nanoCLR, which reports its own deployment region.
    return , @('--nanodevice', '--serialport', $Port, '--deploy', '--image', $Image)
}

function Get-FileDeploymentArguments([string] $SpecPath) {
    return , @('--filedeployment', $SpecPath)
}

function Get-NetworkDeploymentArguments([string] $SpecPath) {
    return , @('--networkdeployment', $SpecPath)
}

# The nanoff command line as text, for -WhatIf and for error messages (arguments with spaces quoted).
function Format-CommandLine([string[]] $Arguments) {
    $parts = @('nanoff')
    foreach ($argument in $Arguments) {
        if ($argument -match '\s') { $parts += '"' + $argument + '"' } else { $parts += $argument }
    }
    return ($parts -join ' ')
}

# Aliyun naming rules (docs/device-config.md): clear errors that name the field, never echo a secret.
function Test-UnitIdentity([string] $Pk, [string] $Dn, [string] $Secret, [string] $Where) {
    $errors = @()
    if ([string]::IsNullOrWhiteSpace($Pk)) { $errors += "${Where}productKey is missing." }
    elseif ($Pk -notmatch '^[A-Za-z0-9]{1,32}$') { $errors += "${Where}productKey '$Pk' must be 1-32 letters or digits." }
    if ([string]::IsNullOrWhiteSpace($Dn)) { $errors += "${Where}deviceName is missing." }
    elseif ($Dn -notmatch '^[A-Za-z0-9_\-@\.:]{4,32}$') { $errors += "${Where}deviceName '$Dn' must be 4-32 characters: letters, digits, - _ @ . :" }
    if ([string]::IsNullOrWhiteSpace($Secret)) { $errors += "${Where}deviceSecret is missing." }
    elseif ($Secret -notmatch '^[A-Za-z0-9]{1,64}$') { $errors += "${Where}deviceSecret must be 1-64 letters or digits (value not shown)." }
    return , $errors
}

# device.json for one unit: the template plus the identity. Returns an ordered dictionary.
function New-DeviceConfig([System.Collections.IDictionary] $Template, [string] $Pk, [string] $Dn, [string] $Secret, [string] $RegionName, [string] $Instance) {
    $config = [ordered]@{}
    if ($Template) { foreach ($key in $Template.Keys) { $config[$key] = $Template[$key] } }
    $config['productKey'] = $Pk
    $config['deviceName'] = $Dn
    $config['deviceSecret'] = $Secret
    if (-not $config.Contains('endpoint')) {
        if ($Instance) { $config['endpoint'] = [ordered]@{ instanceId = $Instance } }
        else { $config['endpoint'] = [ordered]@{ region = $RegionName } }
    }
    return $config
}

# Files OtaPartition keeps on I:\ besides the slot images (SlotStore, RecordFiles). A fresh image in slot A must not
# be paired with a manifest or download record from the board's previous life.
$script:SlotStateFiles = @('I:\manifest', 'I:\manifest.new', 'I:\download', 'I:\download.new', 'I:\slotB.img')

# The --filedeployment spec: device.json, then (optionally) the initial image as slot A with the slot state reset,
# or, with $ClearSlots (the application runs from flash), every slot file deleted: the loader ignores them, and they
# would only take space on I:\. An entry without SourceFilePath makes nanoff delete that file.
function New-FileDeploymentSpec([string] $Port, [string] $DeviceJsonPath, [string] $ImagePath, [string] $KeyPath, [bool] $ClearSlots) {
    $files = @([ordered]@{ DestinationFilePath = 'I:\device.json'; SourceFilePath = $DeviceJsonPath })
    if ($KeyPath) { $files += [ordered]@{ DestinationFilePath = 'I:\ota-signing.pem'; SourceFilePath = $KeyPath } }
    if ($ImagePath) {
        foreach ($stale in $script:SlotStateFiles) { $files += [ordered]@{ DestinationFilePath = $stale } }
        $files += [ordered]@{ DestinationFilePath = 'I:\slotA.img'; SourceFilePath = $ImagePath }
    }
    elseif ($ClearSlots) {
        foreach ($stale in $script:SlotStateFiles + @('I:\slotA.img')) { $files += [ordered]@{ DestinationFilePath = $stale } }
    }
    return [ordered]@{ SerialPort = $Port; Files = $files }
}

function New-NetworkDeploymentSpec([string] $Port, [string] $Ssid, [string] $Password, [string] $CaPath) {
    $spec = [ordered]@{ SerialPort = $Port }
    if ($Ssid) {
        $spec['WirelessClient'] = [ordered]@{ Ssid = $Ssid; Password = $Password; DhcpEnabled = $true }
    }
    if ($CaPath) { $spec['CACertificatesPath'] = $CaPath }
    return $spec
}

function Read-Units([string] $CsvPath, [string] $DefaultPort) {
    if (-not (Test-Path -LiteralPath $CsvPath -PathType Leaf)) { throw "Batch file '$CsvPath' not found." }
    $rows = @(Import-Csv -LiteralPath $CsvPath)
    if ($rows.Count -eq 0) { throw "Batch file '$CsvPath' has no units." }
    $columns = $rows[0].PSObject.Properties.Name
    foreach ($required in @('productKey', 'deviceName', 'deviceSecret')) {
        if ($columns -notcontains $required) { throw "Batch file '$CsvPath' needs the header productKey,deviceName,deviceSecret[,serialPort] (missing '$required')." }
    }
    $units = @()
    $errors = @()
    $line = 1
    foreach ($row in $rows) {
        $line++
        $port = $DefaultPort
        if (($columns -contains 'serialPort') -and $row.serialPort) { $port = $row.serialPort }
        $errors += Test-UnitIdentity $row.productKey $row.deviceName $row.deviceSecret "$CsvPath line ${line}: "
        if (-not $port) { $errors += "$CsvPath line ${line}: no serialPort column value and no -SerialPort." }
        $units += [pscustomobject]@{ ProductKey = $row.productKey; DeviceName = $row.deviceName; DeviceSecret = $row.deviceSecret; SerialPort = $port }
    }
    if ($errors.Count -gt 0) { throw ("Batch file rejected, no board was touched:`n  " + ($errors -join "`n  ")) }
    return , $units
}

# Writes JSON readable only by the current user (it holds secrets).
function Write-PrivateJson([string] $Path, [object] $Value) {
    $json = $Value | ConvertTo-Json -Depth 20
    [System.IO.File]::WriteAllText($Path, $json, [System.Text.UTF8Encoding]::new($false))
    if (-not $IsWindows) {
        try { [System.IO.File]::SetUnixFileMode($Path, [System.IO.UnixFileMode]'UserRead, UserWrite') } catch { }
    }
}

function Format-MaskedIdentity($Unit) {
    return "productKey=$($Unit.ProductKey) deviceName=$($Unit.DeviceName) deviceSecret=********"
}

# Imported by tests without running anything: `. ./flash.ps1` is not used; tests call the script with -WhatIf.

# ------------------------------------------------------------------------------------------------------------------
# Side effects
# ------------------------------------------------------------------------------------------------------------------

function Invoke-Nanoff([string[]] $Arguments) {
    $line = Format-CommandLine $Arguments
    if ($WhatIf) {
        Write-Output $line
        return
    }
    Write-Host "> $line"
    $output = @(& nanoff @Arguments 2>&1 | ForEach-Object { "$_" })
    $exitCode = $LASTEXITCODE
    foreach ($outputLine in $output) { Write-Host $outputLine }
    if ($exitCode -ne 0) { throw "nanoff failed (exit code $exitCode): $line" }
    $fileErrors = Find-NanoffFileErrors $output
    if ($fileErrors.Count -gt 0) { throw ("nanoff reported success but did not deploy every file ($line):`n  " + ($fileErrors -join "`n  ")) }
}

function Ensure-Nanoff {
    $existing = Get-Command nanoff -ErrorAction SilentlyContinue
    if ($existing -and -not $UpdateNanoff) { return }
    $verb = if ($existing) { 'update' } else { 'install' }
    if ($WhatIf) {
        Write-Output "# would run: dotnet tool $verb --global nanoff"
        return
    }
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
        throw 'nanoff is not installed and the .NET SDK (dotnet) is not on PATH: install the .NET 8+ SDK from https://dot.net, then run this script again.'
    }
    Write-Host "Running: dotnet tool $verb --global nanoff"
    & dotnet tool $verb --global nanoff
    if ($LASTEXITCODE -ne 0) { throw "dotnet tool $verb --global nanoff failed (exit code $LASTEXITCODE)." }
    # A fresh install is not on PATH in this session yet.
    $toolDir = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.dotnet/tools'
    if (-not (Get-Command nanoff -ErrorAction SilentlyContinue) -and (Test-Path $toolDir)) {
        $env:PATH = $toolDir + [IO.Path]::PathSeparator + $env:PATH
    }
    if (-not (Get-Command nanoff -ErrorAction SilentlyContinue)) { throw "nanoff was installed but is not on PATH; add $toolDir to PATH." }
}

function Invoke-Unit($Unit, [System.Collections.IDictionary] $Template, [string] $ImagePath, [string] $Folder) {
    Write-Output "# unit $(Format-MaskedIdentity $Unit) on $($Unit.SerialPort)"
    if (-not $SkipFirmware) { Invoke-Nanoff (Get-UpdateArguments $Target $Unit.SerialPort $MassErase.IsPresent $FirmwareVersion) }
    if (-not $SkipLoader) {
        Write-Output "# $script:PlatformSummary"
        Invoke-Nanoff (Get-DeployArguments $Target $Unit.SerialPort $script:PlatformImagePath $FirmwareVersion)
    }

    # The config block first: the file deployment is the last step over the wire protocol before the reboot.
    if ($WifiSsid -or $CaFile) {
        $networkSpec = Join-Path $Folder 'network.json'
        if ($WhatIf) {
            $what = @()
            if ($WifiSsid) { $what += "WiFi ssid=$WifiSsid password=********" }
            if ($CaFile) { $what += "CA bundle $script:CaPath" }
            Write-Output "# would store in the config block: $($what -join ', ')"
        }
        else {
            Write-PrivateJson $networkSpec (New-NetworkDeploymentSpec $Unit.SerialPort $WifiSsid $WifiPassword $script:CaPath)
        }
        try {
            Invoke-Nanoff (Get-NetworkDeploymentArguments $networkSpec)
        }
        finally {
            if (-not $WhatIf) { Remove-Item -LiteralPath $networkSpec -Force -ErrorAction SilentlyContinue }
        }
    }

    $deviceJson = Join-Path $Folder 'device.json'
    $deploySpec = Join-Path $Folder 'deploy.json'
    $config = New-DeviceConfig $Template $Unit.ProductKey $Unit.DeviceName $Unit.DeviceSecret $Region $InstanceId
    $boardProfile = Get-BoardProfile $Target
    if ($boardProfile) { $config['profile'] = $boardProfile }
    $spec = New-FileDeploymentSpec $Unit.SerialPort $deviceJson $ImagePath $script:OtaKeyPath $script:ClearSlots
    if ($WhatIf) {
        Write-Output "# would write I:\device.json ($(Format-MaskedIdentity $Unit)) with profile $(if ($boardProfile) { $boardProfile } else { '(none: -Target not given)' })"
        if ($script:OtaKeyPath) { Write-Output "# would write I:\ota-signing.pem from $script:OtaKeyPath" }
        if ($ImagePath) { Write-Output "# would delete $($script:SlotStateFiles -join ', ') and write I:\slotA.img from $ImagePath" }
        if ($script:ClearSlots) { Write-Output "# no OTA image: the $boardProfile profile has no code OTA and runs Esp32App.pe from flash; would delete $((@('I:\slotA.img') + $script:SlotStateFiles) -join ', ')" }
    }
    else {
        Write-PrivateJson $deviceJson $config
        Write-PrivateJson $deploySpec $spec
    }
    try {
        Invoke-Nanoff (Get-FileDeploymentArguments $deploySpec)
    }
    finally {
        if (-not $WhatIf) { Remove-Item -LiteralPath $deviceJson, $deploySpec -Force -ErrorAction SilentlyContinue }
    }

    # nanoff's file deployment leaves the loader waiting: reset the chip so it boots the provisioned image.
    if ($WhatIf) { Write-Output "# would reboot the board into the provisioned application" }
    Invoke-Nanoff (Get-RebootArguments $Unit.SerialPort)
}

# ------------------------------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------------------------------

if (-not $FirmwareVersion) { $FirmwareVersion = $script:FirmwarePin.Version }

$problems = @()
if ($Target -eq 'ESP32_C3') {
    # Unsupported, not merely discouraged: no -Force. The numbers are the measured ones (docs/board.md, "Boards").
    Write-Error ("flash.ps1: nothing was flashed: the ESP32-C3 (-Target ESP32_C3) is not supported. Its managed heap is ~54 KB, and the framework + loader deployment alone leaves $script:C3FreeAfterDeployment of it free, below the $script:FreeNeededAtEntry the application needs free at its entry, whatever components the product leaves out. Use an ESP32 (ESP32_REV3, lean build), or better one with PSRAM (ESP32_PSRAM_REV3) or an ESP32-S3 with PSRAM (ESP32_S3_QUAD/OCTAL); see docs/board.md.") -ErrorAction Continue
    exit 2
}
if ($FirmwareVersion -notmatch '^\d+\.\d+\.\d+\.\d+$') { $problems += "-FirmwareVersion '$FirmwareVersion' must look like 1.12.4.51." }
if ($Batch -and ($ProductKey -or $DeviceName -or $DeviceSecret)) { $problems += 'Use either -Batch or -ProductKey/-DeviceName/-DeviceSecret, not both.' }
if (-not $Batch) {
    if (-not $SerialPort) { $problems += '-SerialPort is required (list the ports with: nanoff --listports).' }
    if (-not $ProductKey) { $problems += '-ProductKey is required (or use -Batch units.csv).' }
    if (-not $DeviceName) { $problems += '-DeviceName is required (or use -Batch units.csv).' }
}
# A profile without code OTA gets the application in platform.bin and no slot image (docs/board.md, update tiers).
$script:AppInFlash = -not (Test-CodeOta (Get-BoardProfile $Target))
$script:ClearSlots = $script:AppInFlash -and -not $SkipOtaImage
if (-not $SkipLoader) {
    if (Test-Path -LiteralPath $LoaderImage -PathType Leaf) { $script:LoaderPath = (Resolve-Path -LiteralPath $LoaderImage).Path }
    else { $problems += "Loader image '$LoaderImage' not found: build firmware/Loader (Release) first, or pass -LoaderImage, or -SkipLoader." }
    $script:Platform = Read-PlatformManifest $PlatformDir $script:AppInFlash
    $script:PlatformAssemblies = $script:Platform.Assemblies
    $problems += $script:Platform.Problems
    if ($script:Platform.Problems.Count -eq 0) {
        $mismatch = Test-BuildFitsTarget $Target $script:Platform.Profile
        if ($mismatch -and -not $Force) { $problems += $mismatch }
        elseif ($mismatch) { Write-Warning "-Force: $mismatch" }
    }
}
$imagePath = $null
if (-not $SkipOtaImage -and -not $script:AppInFlash) {
    if (Test-Path -LiteralPath $OtaImage -PathType Leaf) { $imagePath = (Resolve-Path -LiteralPath $OtaImage).Path }
    else { $problems += "Initial OTA image '$OtaImage' not found: pack Esp32App.pe with tools/OtaPack (docs/board.md), pass -OtaImage, or -SkipOtaImage." }
}
$script:OtaKeyPath = $null
if ($OtaPublicKey) {
    if (-not (Test-Path -LiteralPath $OtaPublicKey -PathType Leaf)) { $problems += "OTA public key '$OtaPublicKey' not found." }
    else {
        $keyText = Get-Content -LiteralPath $OtaPublicKey -Raw
        if ($keyText -match 'PRIVATE KEY') { $problems += "'$OtaPublicKey' holds a PRIVATE key: pass the public <prefix>.pem written by otapack keygen, never the .key." }
        elseif ($keyText -notmatch '-----BEGIN PUBLIC KEY-----') { $problems += "'$OtaPublicKey' is not a PEM PUBLIC KEY (otapack keygen writes one)." }
        else { $script:OtaKeyPath = (Resolve-Path -LiteralPath $OtaPublicKey).Path }
    }
}
elseif (-not $SkipOtaImage -and -not $script:AppInFlash) {
    Write-Warning 'No -OtaPublicKey: the board will refuse every OTA image until its public key is deployed (docs/security.md).'
}
$template = $null
if ($ConfigTemplate) {
    if (-not (Test-Path -LiteralPath $ConfigTemplate -PathType Leaf)) { $problems += "Config template '$ConfigTemplate' not found." }
    else {
        try { $template = Get-Content -LiteralPath $ConfigTemplate -Raw | ConvertFrom-Json -AsHashtable }
        catch { $problems += "Config template '$ConfigTemplate' is not valid JSON: $($_.Exception.Message)" }
        if ($template -and ($template.Contains('deviceSecret') -or $template.Contains('productSecret'))) {
            $problems += "Config template '$ConfigTemplate' must not contain secrets; the identity comes from the parameters or the batch file."
        }
    }
}
if ($WifiPassword -and -not $WifiSsid) { $problems += '-WifiPassword needs -WifiSsid.' }
$script:CaPath = $null
if ($CaFile) {
    if (Test-Path -LiteralPath $CaFile -PathType Leaf) { $script:CaPath = (Resolve-Path -LiteralPath $CaFile).Path }
    else { $problems += "CA file '$CaFile' not found." }
}
if ($problems.Count -gt 0) {
    Write-Error ("flash.ps1: nothing was flashed:`n  " + ($problems -join "`n  ")) -ErrorAction Continue
    exit 2
}

if ($Batch) {
    try { $units = Read-Units $Batch $SerialPort }
    catch { Write-Error $_.Exception.Message -ErrorAction Continue; exit 2 }
}
else {
    if (-not $DeviceSecret) {
        if ($WhatIf) { $DeviceSecret = 'placeholder' }
        else {
            $secure = Read-Host -AsSecureString "DeviceSecret for $DeviceName"
            $DeviceSecret = [System.Net.NetworkCredential]::new('', $secure).Password
        }
    }
    $identityErrors = Test-UnitIdentity $ProductKey $DeviceName $DeviceSecret ''
    if ($identityErrors.Count -gt 0) { Write-Error ("flash.ps1: nothing was flashed:`n  " + ($identityErrors -join "`n  ")) -ErrorAction Continue; exit 2 }
    $units = @([pscustomobject]@{ ProductKey = $ProductKey; DeviceName = $DeviceName; DeviceSecret = $DeviceSecret; SerialPort = $SerialPort })
}

$ownFolder = $false
if (-not $WorkDir) {
    $WorkDir = Join-Path ([IO.Path]::GetTempPath()) ('aliyun-flash-' + [Guid]::NewGuid().ToString('N'))
    $ownFolder = $true
}
if (-not $WhatIf) {
    New-Item -ItemType Directory -Force -Path $WorkDir | Out-Null
    if (-not $IsWindows) { try { [System.IO.File]::SetUnixFileMode($WorkDir, [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute') } catch { } }
}

try {
    if (-not $SkipLoader) {
        # The same platform image for every unit: built once, in the private work folder.
        $script:PlatformImagePath = Join-Path $WorkDir 'platform.bin'
        $script:PlatformSummary = Format-PlatformSummary $script:LoaderPath $script:PlatformAssemblies
        if ($script:Platform.Ignored.Count -gt 0) {
            Write-Output "# not deployed (in '$PlatformDir' but not in its $script:PlatformManifestName, left by an earlier build): $($script:Platform.Ignored -join ', ')"
        }
        if (-not $WhatIf) { Write-PlatformImage $script:PlatformImagePath $script:LoaderPath $script:PlatformAssemblies }
    }
    Ensure-Nanoff
    $index = 0
    foreach ($unit in $units) {
        $index++
        if ($index -gt 1 -and -not $NoPrompt) {
            if ($WhatIf) { Write-Output "# would wait for the next board ($index of $($units.Count))" }
            else {
                $answer = Read-Host "Connect board $index of $($units.Count) ($($unit.DeviceName)) on $($unit.SerialPort), then press Enter (q to stop)"
                if ($answer -eq 'q') { Write-Host "Stopped before $($unit.DeviceName)."; break }
            }
        }
        Invoke-Unit $unit $template $imagePath $WorkDir
        if (-not $WhatIf) { Write-Host "Provisioned $($unit.DeviceName)." }
    }
}
finally {
    if ($ownFolder -and -not $WhatIf -and (Test-Path -LiteralPath $WorkDir)) { Remove-Item -LiteralPath $WorkDir -Recurse -Force -ErrorAction SilentlyContinue }
}
