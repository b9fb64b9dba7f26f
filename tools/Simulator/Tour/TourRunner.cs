using AliyunIot.OtaPack;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Cloud.Tsl;
using AliyunIot.Connection;
using AliyunIot.HostPorts.Platform;
using AliyunIot.Ports;
using AliyunIot.Simulator.Device;

namespace AliyunIot.Simulator.Tour
{
    /// <summary>
    /// The scripted tour: the local cloud and one simulated device in this process, every step on a readable
    /// timeline — connect, posts, an event, a property set, an async service, both RRPC forms, an OTA to a new
    /// version (image packed by the real packer, served by the real HTTPS server, written to the real slot
    /// store) with a progress bar, the reboot into it and the confirmation; on the way a device-shadow round trip
    /// (report, desired state applied and acknowledged, a stale version refused), tags, the device's log post switched
    /// on and a remote config push applied by the simulated application. With <c>corrupt</c> the served image
    /// is damaged and the tour expects −3 with the old version still running.
    /// </summary>
    public sealed class TourRunner
    {
        /// <summary>The device's name in the tour.</summary>
        public const string DeviceName = "tour-lamp-01";

        /// <summary>Version the device runs before the update (factory image).</summary>
        public const string OldVersion = "1.0.0";

        /// <summary>Version the OTA delivers.</summary>
        public const string NewVersion = "1.1.0";

        private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(20);
        private readonly string _work;
        private readonly bool _corrupt;
        private readonly Timeline _timeline;
        private readonly TextWriter _deviceLog;

        // The tour's OTA signing key: generated for this run, kept in memory only (its public half goes to the
        // simulated device's flash, as flash.ps1 would deploy it).
        private readonly RSA _signingKey = RSA.Create(2048);

        /// <summary>Creates a tour working in <paramref name="workDirectory"/>.</summary>
        /// <param name="workDirectory">Cloud state and the device's flash folder go here.</param>
        /// <param name="corrupt">Play the OTA with a corrupt image.</param>
        /// <param name="output">Where the timeline goes.</param>
        /// <param name="deviceLog">Where the cloud's and the device's log lines go (null: discarded).</param>
        public TourRunner(string workDirectory, bool corrupt, TextWriter output, TextWriter deviceLog)
        {
            _work = Path.GetFullPath(workDirectory);
            _corrupt = corrupt;
            _timeline = new Timeline(output);
            _deviceLog = deviceLog ?? TextWriter.Null;
        }

        private string WritePublicKey()
        {
            string path = Path.Combine(_work, "ota-signing.pem");
            File.WriteAllText(path, _signingKey.ExportSubjectPublicKeyInfoPem());
            return path;
        }

        /// <summary>The timeline (failed step, passed steps).</summary>
        public Timeline Timeline => _timeline;

        /// <summary>The device after the tour (for tests).</summary>
        public string FinalVersion { get; private set; }

        /// <summary>The step the device reported as the OTA's outcome (100 or a negative code).</summary>
        public int FinalOtaStep { get; private set; }

        /// <summary>Plays the tour; returns 0 when every step succeeded, 1 otherwise.</summary>
        public int Run(CancellationToken cancel = default)
        {
            var log = new ConsoleLog(_deviceLog, LogLevel.Info, "cloud");
            LocalCloud cloud = null;
            SimulatedDevice device = null;
            int brokerPid = 0;
            try
            {
                Play(log, ref cloud, ref device, cancel);
            }
            finally
            {
                device?.Dispose();
                if (cloud?.Broker is TestBrokerHost host)
                {
                    brokerPid = host.Broker.ProcessId;
                }

                cloud?.Dispose();
            }

            _timeline.Always("shutdown", () =>
            {
                if (brokerPid > 0 && IsAlive(brokerPid))
                {
                    throw new InvalidOperationException($"broker process {brokerPid} still running");
                }

                return "device powered off, cloud, broker and HTTPS server stopped; no process left";
            });

            if (_timeline.FailedStep != null)
            {
                Console.Out.Flush();
                Console.Error.WriteLine($"tour FAILED at step '{_timeline.FailedStep}': {_timeline.FailureReason}");
                return 1;
            }

            Console.WriteLine($"tour passed: {_timeline.Passed} steps in {_timeline.Elapsed.TotalSeconds:0.0} s");
            return 0;
        }

        private void Play(ILog log, ref LocalCloud cloudRef, ref SimulatedDevice deviceRef, CancellationToken cancel)
        {
            LocalCloud cloud = null;
            SimulatedDevice device = null;
            string pk = DeviceRegistry.DemoProductKey;
            _timeline.Note(_corrupt ? "Tour with a CORRUPT OTA image: the update must fail with -3 and the old version keep running." : "Tour of the firmware core against the local Alibaba-compatible cloud.");

            _timeline.Step("start cloud", () =>
            {
                cloud = CloudHosting.Start(Path.Combine(_work, "cloud"), log);
                return $"broker mqtts://{cloud.Broker.Host}:{cloud.Broker.TlsPort} (TLS, platform auth, per-device ACL), HTTPS image server, responder";
            });
            cloudRef = cloud;

            string config = null;
            _timeline.Step("register device", () =>
            {
                // Log post every second (device.json's logPost section) so the tour does not wait the default 10 s.
                RegisteredDevice registered = cloud.Register(pk, DeviceName, new JsonObject { ["logPost"] = new JsonObject { ["intervalMs"] = 1000 } });
                config = registered.ConfigPath;
                return $"{pk}/{DeviceName}: triple created, device.json written (secret not shown)";
            });

            _timeline.Step("power on", () =>
            {
                device = new SimulatedDevice(
                    new SimulatorOptions
                    {
                        FlashDirectory = Path.Combine(_work, "flash"),
                        ConfigFile = config,
                        FactoryVersion = OldVersion,
                        OtaPublicKeyFile = WritePublicKey(),
                        SamplePeriodMs = 0,
                        LogWriter = _deviceLog,
                        LogPrefix = "device",
                    },
                    cloud.Registry.ModelOf(pk));
                device.PowerOn();
                return $"boot #{device.BootCount}: application {device.RunningVersion}, flash folder {device.Flash.Directory}";
            });
            deviceRef = device;
            DeviceState state = cloud?.State(pk, DeviceName);

            _timeline.Step("connect", () =>
            {
                Expect(SimulatedDevice.WaitUntil(() => device.Status == ConnectionStatus.Connected, StepTimeout), $"device status {device.Status}: {device.Session?.StatusReason}");
                return $"MQTT over TLS, signed CONNECT accepted ({device.Config.Host}:{device.Config.Port})";
            });

            _timeline.Step("version reported", () =>
            {
                Expect(cloud.WaitUntil(() => state.FirmwareVersion == OldVersion, StepTimeout), $"cloud saw version '{state.FirmwareVersion}'");
                return $"/ota/device/inform: {state.FirmwareVersion}";
            });

            _timeline.Step("property post", () =>
            {
                long before = state.PostsAccepted;
                Expect(device.SampleNow() == null, "the reporter refused the post");
                Expect(cloud.WaitUntil(() => state.PostsAccepted > before, StepTimeout), "no accepted post at the cloud");
                Expect(SimulatedDevice.WaitUntil(() => device.Reporter.LastReplyCode == 200, StepTimeout), $"post_reply code {device.Reporter.LastReplyCode}");
                return $"Temperature={state.Property("Temperature")} °C Humidity={state.Property("Humidity")} % → post_reply 200";
            });

            _timeline.Step("event post", () =>
            {
                device.Climate.SetTemperature(34.0);
                device.Climate.Target = 34.0;
                device.SampleNow();
                Expect(cloud.WaitUntil(() => state.EventCount("HighTemperature") > 0, StepTimeout), "no HighTemperature event at the cloud");
                return $"HighTemperature at {state.Property("Temperature")} °C → post_reply 200";
            });

            _timeline.Step("property set", () =>
            {
                CommandResult result = cloud.SetProperties(pk, DeviceName, new JsonObject { ["LightSwitch"] = 1, ["TargetTemperature"] = 24.5 });
                Expect(result.Succeeded, $"set_reply {result.Code} {result.Message}");
                Expect(device.Application.LampOn, "the lamp output did not switch on");
                Expect(Math.Abs(device.Climate.Target - 24.5) < 0.001, "the climate target did not change");
                Expect(cloud.WaitUntil(() => state.Property("LightSwitch") is JsonNode v && v.ToJsonString() is "1" or "true", StepTimeout), "the device did not post the new value");
                return $"LightSwitch=1 TargetTemperature=24.5 → set_reply 200 in {result.ElapsedMs} ms, lamp on, new values posted";
            });

            _timeline.Step("refused set", () =>
            {
                CommandResult result = cloud.SetProperties(pk, DeviceName, new JsonObject { ["Brightness"] = 150 }, validate: false);
                Expect(result.Code == 460, $"expected 460 from the device, got {result.Code} {result.Message}");
                return $"Brightness=150 (out of range) → device answers 460: {result.Message}";
            });

            _timeline.Step("async service", () =>
            {
                CommandResult result = cloud.CallService(pk, DeviceName, "Blink", new JsonObject { ["Times"] = 3 });
                Expect(result.Succeeded, $"Blink_reply {result.Code} {result.Message}");
                Expect((int?)result.Data?["Blinked"] == 3, $"unexpected output {result.Data?.ToJsonString()}");
                return $"Blink(Times=3) → Blink_reply 200 {result.Data.ToJsonString()} in {result.ElapsedMs} ms";
            });

            foreach (RrpcForm form in new[] { RrpcForm.System, RrpcForm.Ext })
            {
                _timeline.Step(form == RrpcForm.System ? "RRPC (sys)" : "RRPC (ext)", () => Diagnose(cloud, pk, form, OldVersion));
            }

            PlayShadowAndTags(cloud, device, pk);

            _timeline.Step("device log on", () =>
            {
                cloud.DeviceLogs.SetSwitch(pk, DeviceName, 1, "INFO");
                Expect(SimulatedDevice.WaitUntil(() => device.LogPoster.Enabled && device.LogPoster.Level == LogLevel.Info, StepTimeout), "the device did not switch log post on");
                return "thing/config/log/push {mode:1, logLevel:INFO} → the device posts its log lines at INFO and above";
            });

            string configId = null;
            _timeline.Step("remote config push", () =>
            {
                configId = cloud.RemoteConfig.Set(pk, System.Text.Encoding.UTF8.GetBytes("{\"TargetTemperature\":26.0,\"SamplePeriodMs\":5000}"));
                CommandResult result = cloud.PushConfig(pk, DeviceName);
                Expect(result.Succeeded, $"push_reply {result.Code} {result.Message}");
                Expect(device.Application.AppliedConfigId == configId, $"the application runs config {device.Application.AppliedConfigId}");
                Expect(Math.Abs(device.Climate.Target - 26.0) < 0.001, "the climate target did not follow the config");
                return $"config {configId.Substring(0, 8)}… (HTTPS, SHA-256 checked) applied by the application: TargetTemperature 26.0 → push_reply 200 in {result.ElapsedMs} ms";
            });

            _timeline.Step("device log post", () =>
            {
                Expect(cloud.WaitUntil(() => cloud.DeviceLogs.Lines(pk, DeviceName).Any(l => ((string)l["logContent"]).Contains(configId + " applied", StringComparison.Ordinal)), StepTimeout), "the cloud received no log line about the config");
                JsonObject line = cloud.DeviceLogs.Lines(pk, DeviceName).First(l => ((string)l["logContent"]).Contains(configId + " applied", StringComparison.Ordinal));
                return $"thing/log/post: [{line["logLevel"]}] {line["module"]}: {line["logContent"]} ({cloud.DeviceLogs.Lines(pk, DeviceName).Count} lines so far)";
            });

            _timeline.Step("history after outage", () => OutageTour.Play(cloud, device, pk, DeviceName, StepTimeout));
            _timeline.Step("register without pre-registration", () => RegistrationTour.Play(cloud, pk, _work, _deviceLog, StepTimeout));

            byte[] image = null;
            _timeline.Step("pack image", () =>
            {
                PackedImage packed = ImageBuilder.Build(Path.Combine(_work, "image"), NewVersion, _signingKey);
                image = packed.Image;
                return $"otapack {NewVersion}: {packed.Image.Length} bytes from {packed.Header.Entries.Length} assemblies, signed (RSA-2048, key of this run), SHA-256 {packed.Sha256Hex.Substring(0, 16)}…";
            });

            _timeline.Step("OTA push", () =>
            {
                OtaJob job = cloud.PushOta(pk, DeviceName, image, NewVersion, "SHA256", corruptServedCopy: _corrupt);
                return $"/ota/device/upgrade: version {job.Version}, size {job.Size}, signMethod {job.SignMethod}" + (_corrupt ? " (served copy corrupted)" : string.Empty);
            });

            _timeline.Step("OTA download", () =>
            {
                int last = 0;
                bool ended = false;
                int shown = 0;
                int shownPercent = 0;
                bool done = cloud.WaitUntil(
                    () =>
                    {
                        IReadOnlyList<int> steps = state.OtaSteps();
                        foreach (int step in steps.Skip(shown))
                        {
                            last = step;
                            shownPercent = step >= 0 ? step : shownPercent;
                            ended |= step == 100 || step < 0;
                            if (step >= 0)
                            {
                                _timeline.Progress(ProgressBar.Render(step), false);
                            }
                        }

                        shown = steps.Count;
                        return ended;
                    },
                    TimeSpan.FromSeconds(60));
                _timeline.Progress(ProgressBar.Render(shownPercent), true);
                FinalOtaStep = last;
                Expect(done, $"no outcome within 60 s (last step {last})");
                if (_corrupt)
                {
                    Expect(last == -3, $"expected step -3 (verify failed), got {last} {state.Job?.FailureDescription}");
                    return $"device reported -3: {state.Job?.FailureDescription}";
                }

                Expect(last == 100, $"update failed with step {last}: {state.Job?.FailureDescription}");
                return "OtaAgent: HTTPS download (test CA only) streamed into the inactive slot, SHA-256 and RSA signature verified, slot activated";
            });

            if (_corrupt)
            {
                _timeline.Step("old version kept", () =>
                {
                    Thread.Sleep(1500);
                    Expect(device.BootCount == 1, $"the device rebooted ({device.BootCount} boots)");
                    Expect(device.RunningVersion == OldVersion, $"running {device.RunningVersion}");
                    Expect(state.FirmwareVersion == OldVersion, $"cloud sees {state.FirmwareVersion}");
                    return $"no reboot; still running {device.RunningVersion}; slot discarded";
                });
                _timeline.Step("RRPC after failure", () => Diagnose(cloud, pk, RrpcForm.System, OldVersion));
            }
            else
            {
                _timeline.Step("reboot", () =>
                {
                    Expect(SimulatedDevice.WaitUntil(() => device.BootCount >= 2 && device.RunningVersion == NewVersion, StepTimeout), $"boot #{device.BootCount} runs {device.RunningVersion}");
                    return $"boot #{device.BootCount}: boot guard chose slot {OtaPartition.SlotStore.SlotLetter(device.LastBootDecision.Slot)} (state {StateName(device.LastBootDecision.State)}), application {device.RunningVersion}";
                });
                _timeline.Step("confirm", () =>
                {
                    Expect(cloud.WaitUntil(() => state.FirmwareVersion == NewVersion, StepTimeout), $"cloud sees version {state.FirmwareVersion}");
                    Expect(cloud.WaitUntil(() => state.Job?.Outcome == "succeeded", StepTimeout), $"job outcome {state.Job?.Outcome}");
                    Expect(SimulatedDevice.WaitUntil(() => new OtaPartition.SlotStore(device.Storage).ReadManifest().State == OtaPartition.SlotState.Confirmed, StepTimeout), "slot not confirmed");
                    return $"reconnected, informed {NewVersion}, slot confirmed; the cloud marks the job succeeded";
                });
                _timeline.Step("RRPC after update", () => Diagnose(cloud, pk, RrpcForm.Ext, NewVersion));
                _timeline.Step("shadow after reboot", () =>
                {
                    long version = cloud.Shadows.VersionOf(pk, DeviceName);
                    Expect(SimulatedDevice.WaitUntil(() => device.Shadow.Version == version, StepTimeout), $"device knows shadow version {device.Shadow.Version}, the cloud {version}");
                    Expect(device.Application.Mode == "comfort", $"mode {device.Application.Mode}");
                    return $"get after connecting: version {version} known again; no desired state pending";
                });
            }

            cancel.ThrowIfCancellationRequested();
            FinalVersion = device?.RunningVersion;
        }

        // The device shadow (report, desired pushed / applied / acknowledged, a stale version refused) and tags.
        private void PlayShadowAndTags(LocalCloud cloud, SimulatedDevice device, string pk)
        {
            _timeline.Step("shadow report", () =>
            {
                long before = cloud.Shadows.VersionOf(pk, DeviceName);
                device.Shadow.UpdateReported(new System.Collections.Hashtable { ["mode"] = device.Application.Mode });
                Expect(cloud.WaitUntil(() => cloud.Shadows.VersionOf(pk, DeviceName) > before && device.Shadow.Version == cloud.Shadows.VersionOf(pk, DeviceName), StepTimeout), $"shadow version {cloud.Shadows.VersionOf(pk, DeviceName)}");
                return $"/shadow/update reported mode={cloud.Shadows.Reported(pk, DeviceName, "mode")} → reply success, version {device.Shadow.Version}";
            });

            _timeline.Step("shadow desired", () =>
            {
                var (code, version) = cloud.Shadows.SetDesired(pk, DeviceName, new JsonObject { ["mode"] = "eco" }, null);
                Expect(code == 200, $"the cloud refused the desired state: {code}");
                Expect(cloud.WaitUntil(() => cloud.Shadows.DesiredCount(pk, DeviceName) == 0 && (string)cloud.Shadows.Reported(pk, DeviceName, "mode") == "eco", StepTimeout), "the device did not acknowledge the desired state");
                Expect(device.Application.Mode == "eco", $"mode {device.Application.Mode}");
                return $"control version {version}: mode=eco applied, reported, desired cleared (shadow version {cloud.Shadows.VersionOf(pk, DeviceName)})";
            });

            _timeline.Step("stale desired", () =>
            {
                int before = device.Shadow.StaleRefused;
                byte[] stale = System.Text.Encoding.UTF8.GetBytes("{\"method\":\"control\",\"payload\":{\"status\":\"success\",\"state\":{\"desired\":{\"mode\":\"away\"}}},\"version\":1,\"timestamp\":1}");
                cloud.Bus.Publish($"/shadow/get/{pk}/{DeviceName}", stale, 1);
                Expect(SimulatedDevice.WaitUntil(() => device.Shadow.StaleRefused > before, StepTimeout), "the device took a stale desired state");
                Expect(device.Application.Mode == "eco", $"mode {device.Application.Mode}");
                return $"a replayed control of version 1 (device at {device.Shadow.Version}) refused: 409 version conflict; mode stays eco";
            });

            _timeline.Step("shadow back to comfort", () =>
            {
                cloud.Shadows.SetDesired(pk, DeviceName, new JsonObject { ["mode"] = "comfort" }, null);
                Expect(cloud.WaitUntil(() => cloud.Shadows.DesiredCount(pk, DeviceName) == 0 && (string)cloud.Shadows.Reported(pk, DeviceName, "mode") == "comfort", StepTimeout), "not acknowledged");
                return $"mode=comfort applied and acknowledged (version {cloud.Shadows.VersionOf(pk, DeviceName)})";
            });

            _timeline.Step("tags", () =>
            {
                var outcomes = new System.Collections.Concurrent.ConcurrentQueue<int>();
                device.Tags.Completed = o => outcomes.Enqueue(o.Code);
                string refused = device.Tags.Update(new[] { "fw-version" }, new[] { OldVersion });
                Expect(refused != null, "a key with '-' was not refused on the device");
                Expect(device.Tags.Update(new[] { "model", "fw_version" }, new[] { "SimLamp", device.RunningVersion }) == null, "tags not sent");
                Expect(SimulatedDevice.WaitUntil(() => outcomes.Count == 1, StepTimeout), "no update_reply");
                Expect(outcomes.TryPeek(out int code) && code == 200, $"update_reply {code}");
                return $"deviceinfo/update → 200, cloud holds {cloud.Tags.ToJson(pk, DeviceName).ToJsonString()}; refused before sending: {refused}";
            });
        }

        private static string Diagnose(LocalCloud cloud, string pk, RrpcForm form, string expectedVersion)
        {
            CommandResult result = cloud.Rrpc(pk, DeviceName, "Diagnose", new JsonObject(), form);
            Expect(result.Succeeded, $"{result.Code} {result.Message}");
            Expect((string)result.Data?["Version"] == expectedVersion, $"device reports version {result.Data?["Version"]}, expected {expectedVersion}");
            return $"Diagnose → {result.ReplyTopic.Replace(DeviceName, "{dn}", StringComparison.Ordinal)} 200 {result.Data.ToJsonString()} in {result.ElapsedMs} ms";
        }

        private static string StateName(OtaPartition.SlotState state) => state.ToString();


        /// <summary>Fails the current step with <paramref name="failure"/> unless <paramref name="condition"/> holds.</summary>
        internal static void Expect(bool condition, string failure)
        {
            if (!condition)
            {
                throw new InvalidOperationException(failure);
            }
        }

        private static bool IsAlive(int pid)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        /// <summary>Reads an invariant-culture number (helper for CLI options).</summary>
        public static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
    }
}
