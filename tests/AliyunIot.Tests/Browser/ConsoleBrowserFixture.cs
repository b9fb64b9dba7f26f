using AliyunIot.Cloud.Control;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Simulator.Device;
using AliyunIot.Tests.Support;
using Microsoft.Playwright;
using Xunit;

namespace AliyunIot.Tests.Browser;

/// <summary>
/// One local cloud with its control server and one headless Chromium for the console's browser tests (starting the
/// browser costs seconds; each test opens its own browser context, so no cookie or sessionStorage is shared).
/// </summary>
public sealed class ConsoleBrowserFixture : IAsyncLifetime
{
    private readonly TempFolder _temp = new TempFolder("console-browser");
    private IPlaywright _playwright;

    public CapturingLog Log { get; } = new CapturingLog();

    public LocalCloud Cloud { get; private set; }

    public ControlServer Control { get; private set; }

    public IBrowser Browser { get; private set; }

    public string Folder => _temp.Path;

    public async Task InitializeAsync()
    {
        if (Chromium.SkipReason != null)
        {
            return;
        }

        Cloud = CloudHosting.Start(_temp.Sub("cloud"), Log);
        Control = new ControlServer(Cloud, Log);
        Log.Secret(Control.Token);

        // Playwright's own browser builds are never fetched (CreateAsync only starts the bundled driver; nothing here
        // runs `playwright install`): the system Chromium is launched by path.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.ExecutablePath,
            Headless = true,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser != null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        Control?.Dispose();
        Cloud?.Dispose();
        Log.Dispose();
        _temp.Dispose();
    }

    /// <summary>Registers a device of the demo product and powers on a simulated device with its config.</summary>
    public SimulatedDevice PowerOn(string deviceName, out RegisteredDevice registered) =>
        AliyunIot.Tests.Simulation.TestKeyDevice.PowerOn(Cloud, Log, _temp.Sub("flash-" + deviceName), deviceName, out registered);
}
