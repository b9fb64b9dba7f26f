using AliyunIot.Config;

namespace AliyunIot.Bench
{
    /// <summary>
    /// Part of section budget: per assembly of ours (the core, each component, OtaPartition, Esp32App) the host DLL, the
    /// .pe estimate, the .pe rows the metadata processor would write and what nanoCLR allocates for them once loaded —
    /// runtime tables plus static-constructor allocations (<see cref="PeTableModel"/>, calibrated against the device
    /// measurement, docs/benchmarks.md) — next to the old "10 % of the .pe" figure; per board profile the free heap at
    /// the application's entry for the deployment <see cref="TierDeployment"/> describes. The platform tier runs from
    /// flash and costs its tables and statics; an application tier loaded with Assembly.Load also keeps its whole .pe
    /// as a byte[] in the heap.
    /// </summary>
    public static class TierBudget
    {
        /// <summary>.pe bytes per host DLL byte (real metadata processor: AliyunIot 168,960 → 110,900; OtaPartition 20,992 → 11,576).</summary>
        public const double PeRatio = 0.6;

        /// <summary>Heap bytes per .pe byte loaded with Assembly.Load (the byte[] stays the assembly's file, plus tables): the PSRAM rows.</summary>
        public const double LoadHeapPerPeByte = 1.08;

        /// <summary>The rule the model replaces (tables = 10 % of the .pe), printed beside it for comparison.</summary>
        public const double OldTablesPerPeByte = 0.10;

        /// <summary>Framework + loader: 271 KB of .pe cost 25.7 KB of heap when deployed (issue 12, measured): the ratio a library not deployed any more is credited with.</summary>
        public const double FrameworkTablesPerPeByte = 25_700.0 / 271_000.0;

        /// <summary>Esp32App.pe (shell + composition root) from the real metadata processor (no host build exists).</summary>
        public const long Esp32AppPeBytes = 34_564;

        /// <summary>Room on I: kept for device.json, the manifest, the download record and the config block's files.</summary>
        public const long SlotReserveBytes = 32 * 1024;

        /// <summary>What the application needs free at its entry on a board without PSRAM (issue 12).</summary>
        public const long RequiredFreeAtEntry = 40 * 1024;

        /// <summary>Adds the per-assembly rows and the per-profile tier rows to <paramref name="results"/>.</summary>
        public static void Run(Results results)
        {
            var model = new Dictionary<string, PeTableEstimate>(StringComparer.Ordinal);
            var peEstimate = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach ((string name, Type anchor) in TierDeployment.Portable)
            {
                AddAssembly(results, name, anchor.Assembly.Location, model, peEstimate);
            }

            AddAssembly(results, "OtaPartition", typeof(OtaPartition.SlotStore).Assembly.Location, model, peEstimate, "deployed with the loader: in the measured baselines, only its growth since is subtracted");
            var apps = new Dictionary<string, PeTableEstimate>(StringComparer.Ordinal);
            foreach (ProfileDeployment deployment in TierDeployment.Profiles)
            {
                string build = deployment.AppBuild ?? "full";
                if (!apps.ContainsKey(build))
                {
                    apps[build] = AddApplication(results, deployment.AppBuild);
                }
            }

            long credit = -BaselineDrift(results, model["OtaPartition"]);
            foreach (FrameworkChange change in TierDeployment.FrameworkChanges)
            {
                long tables = (long)Math.Round(change.PeBytes * FrameworkTablesPerPeByte);
                credit += change.DeployedNow ? 0 : tables;
                results.Add("budget", $"framework {change.Name} ({change.PeBytes:N0} B .pe): {(change.DeployedNow ? "still deployed" : "no longer deployed, credited")}", change.DeployedNow ? 0 : tables, "B",
                    $"{change.Why}; its tables at the measured framework ratio (25.7 KB per 271 KB of .pe) = {tables:N0} B");
            }

            foreach (ProfileDeployment deployment in TierDeployment.Profiles)
            {
                AddProfile(results, deployment, model, peEstimate, apps[deployment.AppBuild ?? "full"], credit);
            }
        }

        private static void AddAssembly(Results results, string name, string path, Dictionary<string, PeTableEstimate> model, Dictionary<string, long> peEstimate, string note = null)
        {
            long dll = new FileInfo(path).Length;
            long pe = (long)Math.Round(dll * PeRatio);
            PeTableEstimate estimate = PeTableModel.Estimate(path);
            model[name] = estimate;
            peEstimate[name] = pe;
            string release = path.Contains("Release", StringComparison.Ordinal) ? "" : "not a Release build; ";
            results.Add("budget", name + ": host DLL (net10.0 Release)", dll, "B", release.TrimEnd(' ', ';'));
            results.Add("budget", name + ": .pe estimate (DLL x 0.6)", pe, "B", $"{release}if Assembly.Loaded: the .pe as a byte[] plus the heap below");
            AddModelRow(results, name, estimate, pe, note);
        }

        // The measured baselines include the Loader and OtaPartition as they were at bb5b240; what the model says they have
        // grown since (the loader's in-flash application path, OtaPartition's image checks) comes off the baseline.
        private static long BaselineDrift(Results results, PeTableEstimate otaPartition)
        {
            long drift = otaPartition.HeapBytes - TierDeployment.OtaPartitionHeapAtBaseline;
            string loader = DeviceCompiledApp.CompileLoader(out string problem);
            string note = $"OtaPartition {otaPartition.HeapBytes:N0} B now vs {TierDeployment.OtaPartitionHeapAtBaseline:N0} B at bb5b240";
            if (loader == null)
            {
                note += "; Loader not modelled (" + problem + ")";
            }
            else
            {
                PeTableEstimate estimate = PeTableModel.Estimate(loader);
                drift += estimate.HeapBytes - TierDeployment.LoaderHeapAtBaseline;
                note += $"; Loader {estimate.HeapBytes:N0} B now vs {TierDeployment.LoaderHeapAtBaseline:N0} B";
            }

            results.Add("budget", "Loader + OtaPartition grown since the baselines were measured (taken off them)", drift, "B", note);
            return drift;
        }

        private static PeTableEstimate AddApplication(Results results, string boardProfile)
        {
            string name = boardProfile == null ? "Esp32App (full build)" : "Esp32App (-p:BoardProfile=" + boardProfile + ")";
            string dll = DeviceCompiledApp.Compile(boardProfile, out string problem);
            if (dll == null)
            {
                results.Add("budget", name + ": not modelled", 0, "B", problem);
                return null;
            }

            PeTableEstimate estimate = PeTableModel.Estimate(dll);
            AddModelRow(results, name, estimate, Esp32AppPeBytes, "device compile (tools/DeviceCompile), .pe measured " + Esp32AppPeBytes.ToString("N0") + " B" + (problem == null ? "" : "; " + problem));
            return estimate;
        }

        private static void AddModelRow(Results results, string name, PeTableEstimate estimate, long pe, string note)
        {
            string biggest = string.Join("; ", estimate.Statics
                .GroupBy(s => s.Target)
                .Select(g => (Target: g.Key, Bytes: g.Sum(s => s.Bytes), What: string.Join(", ", g.GroupBy(s => s.What).Select(w => w.Count() > 1 ? $"{w.Count()} x {w.Key}" : w.Key))))
                .OrderByDescending(t => t.Bytes)
                .Take(3)
                .Select(t => $"{t.Target} {t.Bytes:N0} B ({t.What})"));
            results.Add("budget", name + ": .pe rows (model)", estimate.Rows.Total, "rows", estimate.Rows.ToString());
            results.Add("budget", name + ": heap once loaded = tables + static allocations (model)", estimate.HeapBytes, "B",
                $"tables {estimate.TableBytes:N0} B + statics {estimate.StaticBytes:N0} B{(estimate.UnfollowedCalls > 0 ? $" ({estimate.UnfollowedCalls} calls in .cctors not followed)" : "")}; "
                + $"old 10 % rule: {Math.Round(pe * OldTablesPerPeByte):N0} B" + (biggest.Length > 0 ? "; biggest statics: " + biggest : "") + (note == null ? "" : "; " + note));
        }

        private static void AddProfile(Results results, ProfileDeployment deployment, Dictionary<string, PeTableEstimate> model, Dictionary<string, long> peEstimate, PeTableEstimate app, long credit)
        {
            BoardProfile profile = BoardProfile.Find(deployment.Profile);
            string name = deployment.Profile;
            long platformHeap = deployment.Platform.Sum(a => model[a].HeapBytes);
            long platformPe = deployment.Platform.Sum(a => peEstimate[a]);
            if (profile.ManagedHeapBytes > 1024 * 1024)
            {
                // PSRAM: megabytes of heap; what matters is whether the full image fits the heap and a slot.
                long full = platformPe + Esp32AppPeBytes;
                long heap = (long)Math.Round(full * LoadHeapPerPeByte);
                long slot = (profile.ConfigPartitionBytes - SlotReserveBytes) / 2;
                results.AddTarget("budget", name + ": full image (platform + application) loaded with Assembly.Load", heap, "B",
                    "<= the " + (profile.ManagedHeapBytes / 1024).ToString("N0") + " KB heap", heap <= profile.ManagedHeapBytes, $".pe {full:N0} B");
                results.AddTarget("budget", name + ": full image .pe against one slot of I: on the smallest module", full, "B",
                    "<= " + slot.ToString("N0") + " B", full <= slot,
                    $"I: {profile.ConfigPartitionBytes / 1024:N0} KB, two slots after {SlotReserveBytes / 1024} KB for device.json, manifest, WiFi/CA files");
                return;
            }

            if (app == null)
            {
                return;
            }

            long baseline = TierDeployment.BaselineFree(name);
            long platformOnly = baseline + credit - platformHeap;
            long inFlash = platformOnly - app.HeapBytes;
            long fromSlot = platformOnly - StaticAllocationScanner.Blocks(StaticAllocationScanner.ArrayHeader + Esp32AppPeBytes) - app.HeapBytes;
            long oldInFlash = baseline - (long)Math.Round((platformPe + Esp32AppPeBytes) * OldTablesPerPeByte);
            string how = $"baseline {baseline:N0} B measured (framework + Loader + OtaPartition) + {credit:N0} B (framework credited, Loader/OtaPartition growth taken off) − platform {platformHeap:N0} B ({deployment.Platform.Length} assemblies)";
            results.AddTarget("budget", name + ": free at the application's entry, everything in flash" + (deployment.ApplicationInFlash ? " (as flash.ps1 deploys it)" : ""), inFlash, "B",
                ">= " + RequiredFreeAtEntry.ToString("N0") + " B", inFlash >= RequiredFreeAtEntry,
                $"{how} − Esp32App {app.HeapBytes:N0} B; old 10 % rule said {oldInFlash:N0} B");
            results.AddTarget("budget", name + ": free at the application's entry, Esp32App.pe loaded from a slot", fromSlot, "B",
                ">= " + RequiredFreeAtEntry.ToString("N0") + " B", fromSlot >= RequiredFreeAtEntry,
                $"{how} − the {Esp32AppPeBytes:N0} B byte[] − Esp32App {app.HeapBytes:N0} B; code OTA {(profile.CodeOta ? "on" : "off")} for this profile");
        }
    }
}
