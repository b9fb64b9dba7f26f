using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Control;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.HostPorts.Mqtt;
using AliyunIot.OtaPack;
using AliyunIot.Simulator.Device;
using AliyunIot.Simulator.Tour;
using AliyunIot.Tests.Simulation;
using AliyunIot.Tests.Support;
using AliyunIot.TestBroker;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace AliyunIot.Tests.Browser;

/// <summary>
/// The local cloud's web console driven in a real browser (headless Chromium) as a user would: the page the control
/// server serves, opened at the address `cloud console` prints, with simulated devices (the real firmware core)
/// connected to the cloud's broker. Every wait is on a condition of the page (Playwright's auto-retrying
/// assertions), none on a sleep; no test passes with a script error on the page.
/// </summary>
public sealed class ConsoleBrowserTests : IClassFixture<ConsoleBrowserFixture>, IAsyncLifetime
{
    private const string Pk = DeviceRegistry.DemoProductKey;
    private static readonly float OtaWaitMs = 60_000;
    private readonly ConsoleBrowserFixture _f;
    private readonly List<IBrowserContext> _contexts = new List<IBrowserContext>();
    private readonly ConcurrentQueue<string> _pageErrors = new ConcurrentQueue<string>();
    private readonly ConcurrentQueue<string> _consoleErrors = new ConcurrentQueue<string>();

    public ConsoleBrowserTests(ConsoleBrowserFixture fixture)
    {
        _f = fixture;
        SetDefaultExpectTimeout(20_000);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (IBrowserContext context in _contexts)
        {
            await context.CloseAsync();
        }
    }

    [ChromiumFact]
    public async Task A_device_that_connects_turns_online_in_the_list_and_offline_when_it_stops()
    {
        const string name = "browser-0001";
        _f.Log.Secret(_f.Cloud.Register(null, name).DeviceSecret);
        IPage page = await OpenConsoleAsync(_f.Control.ConsoleUrl);

        // The page took its token out of the address bar (it must not be bookmarked or shared).
        Assert.DoesNotContain("token", page.Url, StringComparison.Ordinal);
        ILocator status = Row(page, name).Locator("td.status");
        await Expect(status).ToHaveTextAsync("never connected");

        using (SimulatedDevice device = _f.PowerOn(name, out _))
        {
            await Expect(status).ToHaveTextAsync("online");
            await Expect(page.Locator("#announce")).ToHaveTextAsync(Pk + "/" + name + " is online");

            // A keyboard user: the row takes the focus, Enter opens the device's page with its message log.
            await Row(page, name).FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Device " + Pk + "/" + name })).ToBeVisibleAsync();
            await Expect(Row(page, name)).ToHaveAttributeAsync("aria-selected", "true");
            await Expect(page.Locator("#log")).ToContainTextAsync("connect");
        }

        // Offline, and why: the device said DISCONNECT.
        await Expect(status).ToHaveTextAsync("offline" + "the device disconnected (DISCONNECT)");
        await Expect(page.Locator("#announce")).ToHaveTextAsync(Pk + "/" + name + " is offline");
        AssertNoScriptErrors(consoleToo: true);
    }

    [ChromiumFact]
    public async Task A_device_that_dies_without_disconnecting_shows_offline_at_once()
    {
        // A crashed or powered-off device sends no DISCONNECT: its socket just ends. The console must not keep
        // showing it online until some keep-alive runs out (a cut cable is found by the keep-alive, 1.5 x 60 s here).
        const string name = "browser-0007";
        RegisteredDevice registered = _f.Cloud.Register(null, name);
        _f.Log.Secret(registered.DeviceSecret);
        var broker = ((TestBrokerHost)_f.Cloud.Broker).Broker;
        using var device = new CrashingDevice(broker.CreateDeviceConnectRequest(Pk, name, registered.DeviceSecret, useTls: false));
        IPage page = await OpenConsoleAsync(_f.Control.ConsoleUrl);
        ILocator status = Row(page, name).Locator("td.status");
        await Expect(status).ToHaveTextAsync("online");

        device.Crash();

        await Expect(status).ToHaveTextAsync("offline" + "connection lost (closed without DISCONNECT)", new() { Timeout = 10_000 });
        AssertNoScriptErrors(consoleToo: true);
    }

    [ChromiumFact]
    public async Task The_device_page_shows_its_traffic_live_connect_post_set_denial_and_refused_login()
    {
        const string name = "browser-0008";
        string sys = $"/sys/{Pk}/{name}/";
        RegisteredDevice registered = _f.Cloud.Register(null, name);
        _f.Log.Secret(registered.DeviceSecret);
        IPage page = await OpenConsoleAsync(_f.Control.ConsoleUrl);
        await Row(page, name).ClickAsync();
        ILocator log = page.Locator("#log");

        using var raw = new RawDevice(_f.Cloud, registered);
        await Expect(log).ToContainTextAsync("connect");

        raw.Subscribe(sys + "thing/service/property/set");
        raw.Publish(sys + "thing/event/property/post", "{\"id\":\"1\",\"version\":\"1.0\",\"params\":{\"Humidity\":40.5},\"method\":\"thing.event.property.post\"}");
        await Expect(log).ToContainTextAsync("→ cloud " + sys + "thing/event/property/post {");
        await Expect(log).ToContainTextAsync("→ device " + sys + "thing/event/property/post_reply {");
        await Expect(page.Locator("#properties tr[data-property='Humidity'] td.value")).ToHaveTextAsync("40.5 %");

        // A set from the page, answered by the device.
        Task answered = Task.Run(() =>
        {
            var request = raw.Next(TimeSpan.FromSeconds(10));
            string id = (string)JsonNode.Parse(request.Payload)["id"];
            raw.Publish(sys + "thing/service/property/set_reply", "{\"id\":\"" + id + "\",\"code\":200,\"data\":{}}");
        });
        await page.GetByLabel("Light switch (LightSwitch)").SelectOptionAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await answered;
        await Expect(page.Locator("#result")).ToContainTextAsync("Done (200)");
        await Expect(log).ToContainTextAsync("→ device " + sys + "thing/service/property/set {");
        await Expect(log).ToContainTextAsync("→ cloud " + sys + "thing/service/property/set_reply {");

        // What the broker refused, with the rule: a publish on a downlink topic, a login with a wrong signature.
        raw.Publish(sys + "thing/service/property/set", "{}");
        await Expect(log).ToContainTextAsync("denied " + sys + "thing/service/property/set");
        await Expect(log).ToContainTextAsync("a device may not publish on a downlink topic");
        var broker = ((TestBrokerHost)_f.Cloud.Broker).Broker;
        using (var intruder = new MosquittoTransport())
        {
            intruder.Connect(broker.CreateDeviceConnectRequest(Pk, name, "not-the-secret", clientId: "intruder"), new NullListener());
        }

        await Expect(log).ToContainTextAsync("login refused");
        await Expect(log).ToContainTextAsync("sign mismatch");
        SecretAssert.NotIn(registered.DeviceSecret, await page.ContentAsync(), "the console page");
        AssertNoScriptErrors(consoleToo: true);
    }

    [ChromiumFact]
    public async Task A_property_set_and_a_service_call_round_trip_through_the_forms_built_from_the_thing_model()
    {
        const string name = "browser-0002";
        using SimulatedDevice device = _f.PowerOn(name, out _);
        IPage page = await OpenConsoleAsync(_f.Control.ConsoleUrl);
        await Expect(Row(page, name).Locator("td.status")).ToHaveTextAsync("online");
        await Row(page, name).ClickAsync();

        // The set form offers the writable properties only, each typed and bounded as the thing model says.
        ILocator brightness = page.GetByLabel("Brightness", new() { Exact = true });
        await Expect(brightness).ToHaveAttributeAsync("type", "number");
        await Expect(brightness).ToHaveAttributeAsync("max", "100");
        await Expect(page.Locator("#setFields")).ToContainTextAsync("int, 0 – 100 %");
        await Expect(page.Locator("#setFields").GetByLabel("Temperature", new() { Exact = true })).ToHaveCountAsync(0);

        ILocator send = page.GetByRole(AriaRole.Button, new() { Name = "Send" });
        ILocator result = page.Locator("#result");
        ILocator lightSwitch = page.GetByLabel("Light switch (LightSwitch)");
        await lightSwitch.SelectOptionAsync("1");
        await send.ClickAsync();
        await Expect(result).ToContainTextAsync("Done (200)");
        Assert.True(device.Application.LampOn, "the simulated lamp did not switch on");

        // The device posts its new value: the device page shows it with its meaning and in its history.
        ILocator lightRow = page.Locator("#properties tr[data-property='LightSwitch']");
        await Expect(lightRow.Locator("td.value")).ToHaveTextAsync("1 (on)");
        await Expect(lightRow.Locator("td.history")).ToContainTextAsync("1");

        // Out of range: refused by the cloud with its code, shown as an error, and nothing goes to the device.
        await lightSwitch.SelectOptionAsync(string.Empty);
        await brightness.FillAsync("150");
        await send.ClickAsync();
        await Expect(result).ToContainTextAsync("Refused with code 6304");
        await Expect(result).ToHaveClassAsync("error");
        Assert.DoesNotContain(_f.Cloud.Traffic.Since(0, name, "thing/service/property/set"), e => e.Payload != null && e.Payload.Contains("Brightness", StringComparison.Ordinal));

        // An async service from its form; Send stays disabled while the command is pending (held here in flight).
        await brightness.FillAsync(string.Empty);
        await page.GetByLabel("command", new() { Exact = true }).SelectOptionAsync("service");
        await page.GetByLabel("service", new() { Exact = true }).SelectOptionAsync("Blink");
        await page.GetByLabel("Times").FillAsync("3");
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/call", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        await send.ClickAsync();
        await Expect(send).ToBeDisabledAsync();
        release.SetResult();
        await Expect(result).ToContainTextAsync("Done (200)");
        await Expect(result).ToContainTextAsync("\"Blinked\": 3");
        await Expect(send).ToBeEnabledAsync();
        Assert.Equal(3, device.Application.Blinks);

        // A synchronous service goes over RRPC.
        await page.GetByLabel("service", new() { Exact = true }).SelectOptionAsync("Diagnose");
        await Expect(page.GetByLabel("RRPC topic form")).ToBeVisibleAsync();
        await send.ClickAsync();
        await Expect(result).ToContainTextAsync("\"rrpcCode\": \"SUCCESS\"");
        await Expect(result).ToContainTextAsync("\"Version\": \"1.0.0\"");
        AssertNoScriptErrors(consoleToo: true);
    }

    [ChromiumFact]
    public async Task An_ota_push_from_the_page_shows_its_progress_reaching_100_and_the_job_succeeding()
    {
        const string name = "browser-0003";
        using SimulatedDevice device = _f.PowerOn(name, out _);
        PackedImage packed = ImageBuilder.Build(Path.Combine(_f.Folder, "image"), "1.1.0", AliyunIot.Tests.Ota.OtaTestKey.Private());
        string imageFile = Path.Combine(_f.Folder, "image", "image-1.1.0.bin");
        IPage page = await OpenConsoleAsync(_f.Control.ConsoleUrl);
        await Expect(Row(page, name).Locator("td.status")).ToHaveTextAsync("online");
        await Row(page, name).ClickAsync();
        await Expect(page.Locator("#jobs")).ToContainTextAsync("No OTA job pushed to this device yet.");

        await page.GetByLabel("command", new() { Exact = true }).SelectOptionAsync("ota");
        await page.GetByLabel("image file").SetInputFilesAsync(imageFile);
        await page.GetByLabel("version").FillAsync("1.1.0");
        await page.GetByLabel("sign method").SelectOptionAsync("SHA256");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.Locator("#result")).ToContainTextAsync("OTA job pushed");
        Assert.Contains("\"sign\": \"" + packed.Sha256Hex.ToLowerInvariant() + "\"", await page.Locator("#result").TextContentAsync(), StringComparison.Ordinal);

        ILocator job = page.Locator("#jobs tr[data-version='1.1.0']");
        ILocator bar = job.GetByRole(AriaRole.Progressbar, new() { Name = "OTA 1.1.0 progress" });
        await Expect(bar).ToHaveJSPropertyAsync("value", 100, new() { Timeout = OtaWaitMs });
        await Expect(job).ToContainTextAsync("100 %");
        await Expect(job.Locator("td.outcome")).ToHaveTextAsync("succeeded", new() { Timeout = OtaWaitMs });
        await Expect(Row(page, name).Locator("td").Nth(3)).ToHaveTextAsync("1.1.0");
        Assert.Equal("1.1.0", device.RunningVersion);
        Assert.Contains(100, _f.Cloud.State(Pk, name).OtaSteps());
        AssertNoScriptErrors(consoleToo: true);
    }

    [ChromiumFact]
    public async Task A_firmware_uploaded_once_is_pushed_through_the_picker_and_the_device_updates()
    {
        const string name = "browser-0009";
        using SimulatedDevice device = _f.PowerOn(name, out _);
        PackedImage packed = ImageBuilder.Build(Path.Combine(_f.Folder, "library"), "1.2.0", AliyunIot.Tests.Ota.OtaTestKey.Private());
        string imageFile = Path.Combine(_f.Folder, "library", "image-1.2.0.bin");
        IPage page = await OpenConsoleAsync(_f.Control.ConsoleUrl);
        await Expect(Row(page, name).Locator("td.status")).ToHaveTextAsync("online");
        await Row(page, name).ClickAsync();
        await page.GetByLabel("command", new() { Exact = true }).SelectOptionAsync("ota");

        // Upload to the library: the picker then offers (and selects) it.
        await page.GetByLabel("image file").SetInputFilesAsync(imageFile);
        await page.GetByLabel("version").FillAsync("1.2.0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload to firmware library" }).ClickAsync();
        await Expect(page.Locator("#result")).ToContainTextAsync("Firmware uploaded");
        FirmwareImage uploaded = Assert.Single(_f.Control.Firmware.List(), f => f.Version == "1.2.0");
        await Expect(page.GetByLabel("firmware", new() { Exact = true })).ToHaveValueAsync(uploaded.Id);

        // Push by picking it: no file is sent with the job.
        await page.GetByLabel("image file").SetInputFilesAsync(Array.Empty<string>());
        await page.GetByLabel("firmware", new() { Exact = true }).SelectOptionAsync(uploaded.Id);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.Locator("#result")).ToContainTextAsync("OTA job pushed");
        Assert.Contains("\"sign\": \"" + packed.Sha256Hex.ToLowerInvariant() + "\"", await page.Locator("#result").TextContentAsync(), StringComparison.Ordinal);

        ILocator job = page.Locator("#jobs tr[data-version='1.2.0']");
        await Expect(job.Locator("td.outcome")).ToHaveTextAsync("succeeded", new() { Timeout = OtaWaitMs });
        Assert.Equal("1.2.0", device.RunningVersion);
        AssertNoScriptErrors(consoleToo: true);
    }

    [ChromiumFact]
    public async Task A_command_from_a_page_of_another_origin_is_refused()
    {
        const string name = "browser-0004";
        _f.Log.Secret(_f.Cloud.Register(null, name).DeviceSecret);
        using var elsewhere = new OtherOrigin();
        IBrowserContext context = await NewContextAsync(1280);
        IPage page = await context.NewPageAsync();
        await page.GotoAsync(elsewhere.Url);
        string body = "{\"deviceName\":\"" + name + "\",\"params\":{\"LightSwitch\":1}}";

        // Even holding the token, a script elsewhere cannot send JSON: the browser asks first (CORS preflight) and
        // the cloud never grants it.
        string withToken = await page.EvaluateAsync<string>(
            "async ([url, token, body]) => { try { const r = await fetch(url + 'set', { method: 'POST', headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token }, body }); return 'answered ' + r.status; } catch (e) { return 'refused: ' + e.name; } }",
            new[] { _f.Control.Url, _f.Control.Token, body });
        Assert.Equal("refused: TypeError", withToken);

        // A request the browser sends without asking (a form-like text/plain POST) reaches the cloud, which refuses
        // it by its Origin.
        IResponse simple = await page.RunAndWaitForResponseAsync(
            () => page.EvaluateAsync("async ([url, body]) => { await fetch(url + 'set', { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body }); }", new[] { _f.Control.Url, body }),
            r => r.Url == _f.Control.Url + "set" && r.Request.Method == "POST");
        Assert.Equal(403, simple.Status);

        Assert.Empty(_f.Cloud.Traffic.Since(0, name, "thing/service/property/set"));
        Assert.Equal(0, _f.Cloud.State(Pk, name).MessagesIn);
    }

    [ChromiumFact]
    public async Task When_the_cloud_stops_answering_the_page_says_so_and_keeps_the_last_table()
    {
        const string name = "browser-0005";
        _f.Log.Secret(_f.Cloud.Register(null, name).DeviceSecret);
        var control = new ControlServer(_f.Cloud, _f.Log);
        _f.Log.Secret(control.Token);
        try
        {
            IPage page = await OpenConsoleAsync(control.ConsoleUrl);
            await Expect(Row(page, name).Locator("td.status")).ToHaveTextAsync("never connected");
            await Expect(page.Locator("#banner")).ToBeHiddenAsync();

            control.Dispose();

            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Connection to the cloud lost");
            await Expect(Row(page, name)).ToBeVisibleAsync();
            AssertNoScriptErrors(consoleToo: false); // the refused fetches are logged by the browser as errors
        }
        finally
        {
            control.Dispose();
        }
    }

    [ChromiumFact]
    public async Task The_page_fits_a_phone_and_a_1280_px_screen_without_scrolling_sideways()
    {
        const string name = "browser-0006-long-name-for-phone";
        _f.Log.Secret(_f.Cloud.Register(null, name).DeviceSecret);
        foreach (int width in new[] { 390, 1280 })
        {
            IPage page = await OpenConsoleAsync(_f.Control.ConsoleUrl, width);
            await Row(page, name).ClickAsync();
            await Expect(page.Locator("#devicePanel")).ToBeVisibleAsync();
            await Expect(page.GetByLabel("Label", new() { Exact = true })).ToBeVisibleAsync();
            int overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"at {width} px the page is {overflow} px wider than the screen");
        }

        AssertNoScriptErrors(consoleToo: true);
    }

    private static ILocator Row(IPage page, string deviceName) =>
        page.Locator("#devices tr[data-key='" + Pk + "/" + deviceName + "']");

    private async Task<IBrowserContext> NewContextAsync(int width)
    {
        IBrowserContext context = await _f.Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = 900 } });
        _contexts.Add(context);
        return context;
    }

    private async Task<IPage> OpenConsoleAsync(string consoleUrl, int width = 1280)
    {
        IBrowserContext context = await NewContextAsync(width);
        IPage page = await context.NewPageAsync();
        page.PageError += (_, error) => _pageErrors.Enqueue(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _consoleErrors.Enqueue(message.Text);
            }
        };
        await page.GotoAsync(consoleUrl);
        return page;
    }

    private void AssertNoScriptErrors(bool consoleToo)
    {
        Assert.True(_pageErrors.IsEmpty, "script errors on the page: " + string.Join(" | ", _pageErrors));
        if (consoleToo)
        {
            Assert.True(_consoleErrors.IsEmpty, "errors in the page's console: " + string.Join(" | ", _consoleErrors));
        }
    }
}
