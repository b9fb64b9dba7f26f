using OtaPartition;
using Xunit;

namespace AliyunIot.Tests.Ota
{
    /// <summary>
    /// The loader's decisions, portable in OtaPartition (<see cref="LoaderPlan"/>, <see cref="LoadBudget"/>,
    /// <see cref="BootGuard.ReportLoadFailure"/>): an image the free heap cannot load is refused before it is read and
    /// the other slot boots; with no slot left the loader waits for provisioning with the cause named; a trial image
    /// that fails to load uses one boot attempt per reboot and is rolled back only when they run out; a confirmed image
    /// gets <see cref="BootGuard.MaxLoadFailures"/> tries.
    /// </summary>
    public sealed class LoaderPlanTests
    {
        // The board numbers (issue 12, measured in the real interpreter with a 90 KB heap): 43,488 B free at the
        // application's entry with a small image; today's core alone is 110,900 B of .pe.
        private const long WroomFree = 43488;

        [Fact]
        public void The_heap_budget_is_the_pe_bytes_times_1_08_plus_the_margin_and_names_both_numbers()
        {
            Assert.Equal(127964, LoadBudget.Required(110900));
            Assert.False(LoadBudget.Fits(110900, WroomFree));
            Assert.True(LoadBudget.Fits(5000, WroomFree));
            Assert.Equal("image needs 127964 bytes of managed heap to load (110900 bytes of assemblies), 43488 free", LoadBudget.Shortfall(110900, WroomFree));
        }

        [Fact]
        public void An_image_larger_than_the_free_heap_is_refused_before_reading_and_the_other_slot_boots()
        {
            var flash = TwoSlots(out BootGuard guard);
            BootDecision decision = guard.Boot();
            Assert.Equal(("2.0.0", 1, SlotState.Testing), (decision.Version, decision.Slot, decision.State));

            LoaderPlan plan = LoaderPlan.Choose(guard, flash, decision, WroomFree, new byte[512]);

            Assert.True(plan.Decision.HasImage);
            Assert.Equal(("1.0.0", 0, SlotState.RolledBack), (plan.Decision.Version, plan.Decision.Slot, plan.Decision.State));
            Assert.Equal(5000, plan.AssemblyBytes);
            Assert.Contains("slot B (2.0.0): image needs 108416 bytes of managed heap to load (92800 bytes of assemblies), 43488 free", plan.Refusals);
            SlotManifest manifest = new SlotStore(flash).ReadManifest();
            Assert.Equal(("2.0.0", 0), (manifest.RolledBackVersion, manifest.ActiveSlot));
            Assert.StartsWith("image needs 108416 bytes", manifest.RolledBackReason);
        }

        [Fact]
        public void When_no_slot_fits_the_loader_runs_nothing_names_both_causes_and_leaves_the_manifest_alone()
        {
            var flash = new LittleFsFlash();
            flash.Provision("slotA.img", OtaTestImages.Build("1.0.0", 1, 60000));
            var store = new SlotStore(flash);
            WriteWhole(store, OtaTestImages.Build("2.0.0", 2, 50000));
            OtaTestImages.ActivateAsVerified(store, "2.0.0", 3, new byte[512]);
            var guard = new BootGuard(store);

            LoaderPlan plan = LoaderPlan.Choose(guard, flash, guard.Boot(), WroomFree, new byte[512]);

            Assert.False(plan.Decision.HasImage);
            Assert.Null(plan.Header);
            Assert.Contains("slot B (2.0.0): image needs 62192 bytes", plan.Refusals);
            Assert.Contains("slot A (1.0.0): image needs 72992 bytes", plan.Refusals);

            // One switch (to A, recorded with the reason), no flip back to B.
            Assert.Equal((0, SlotState.RolledBack), (store.ReadManifest().ActiveSlot, store.ReadManifest().State));
        }

        [Fact]
        public void A_damaged_image_is_passed_over_with_its_cause()
        {
            var flash = TwoSlots(out BootGuard guard);
            byte[] b = flash.Committed("slotB.img");
            b[^1] ^= 1;
            flash.Provision("slotB.img", b);

            LoaderPlan plan = LoaderPlan.Choose(guard, flash, guard.Boot(), 1 << 30, new byte[512]);

            Assert.Equal(("1.0.0", 0), (plan.Decision.Version, plan.Decision.Slot));
            Assert.Contains("slot B (2.0.0): image damaged", plan.Refusals);
        }

        [Fact]
        public void A_trial_image_that_fails_to_load_uses_one_boot_attempt_per_reboot_and_is_rolled_back_when_they_run_out()
        {
            var flash = TwoSlots(out BootGuard guard);
            var buffer = new byte[512];
            for (int boot = 1; boot <= 3; boot++)
            {
                BootDecision decision = guard.Boot();
                Assert.Equal(("2.0.0", SlotState.Testing, boot), (decision.Version, decision.State, decision.BootAttempts));
                BootDecision next = guard.ReportLoadFailure(decision, buffer);

                // Not rolled back yet: the next boot retries the trial image.
                Assert.Equal(("2.0.0", SlotState.Testing), (next.Version, next.State));
            }

            BootDecision afterAttempts = guard.Boot();
            Assert.Equal(("1.0.0", SlotState.RolledBack), (afterAttempts.Version, afterAttempts.State));
            Assert.Equal("2.0.0", afterAttempts.RolledBackVersion);
        }

        [Fact]
        public void A_confirmed_image_gets_three_loads_in_a_row_then_the_other_slot_runs_and_a_start_resets_the_count()
        {
            var flash = TwoSlots(out BootGuard guard);
            var store = new SlotStore(flash);
            guard.Boot();
            Assert.True(store.Confirm());
            var buffer = new byte[512];

            for (int failure = 1; failure < BootGuard.MaxLoadFailures; failure++)
            {
                BootDecision next = guard.ReportLoadFailure(guard.Boot(), buffer);
                Assert.Equal(("2.0.0", SlotState.Confirmed), (next.Version, next.State));
            }

            BootDecision started = guard.Boot();
            guard.ReportStarted(started);
            Assert.Equal(0, store.ReadManifest().BootAttempts);

            BootDecision last = started;
            for (int failure = 1; failure <= BootGuard.MaxLoadFailures; failure++)
            {
                last = guard.ReportLoadFailure(guard.Boot(), buffer);
            }

            Assert.Equal(("1.0.0", 0, SlotState.RolledBack), (last.Version, last.Slot, last.State));
            Assert.Equal("failed to load 3 times", store.ReadManifest().RolledBackReason);

            // Without a valid other slot there is nothing left: the loader waits for provisioning.
            flash.Delete("slotB.img");
            BootDecision onA = guard.Boot();
            for (int failure = 1; failure < BootGuard.MaxLoadFailures; failure++)
            {
                Assert.True(guard.ReportLoadFailure(onA, buffer).HasImage);
            }

            Assert.False(guard.ReportLoadFailure(onA, buffer).HasImage);
        }

        [Fact]
        public void An_application_deployed_in_flash_runs_from_flash_ignoring_the_slots_without_counting_a_boot()
        {
            var flash = TwoSlots(out _);
            byte[] manifestBefore = flash.Committed(SlotStore.ManifestName);
            string[] filesBefore = flash.Files();

            string line = InFlashApplication.Decide(true, "AliyunIot.Esp32.DeviceApplication", flash);

            Assert.Equal(@"[loader] AliyunIot.Esp32.DeviceApplication is deployed in flash (the platform tier, flash.ps1): running it from flash, no slot image is loaded; "
                + @"ignoring slot images on I:\: slotA.img (" + flash.Length("slotA.img") + " bytes), slotB.img (" + flash.Length("slotB.img") + " bytes).", line);
            Assert.Equal(manifestBefore, flash.Committed(SlotStore.ManifestName));
            Assert.Equal(filesBefore, flash.Files());
        }

        [Fact]
        public void An_application_in_flash_on_a_board_without_slot_files_says_so()
        {
            Assert.EndsWith(@"no slot image is loaded; no slot images on I:\.", InFlashApplication.Decide(true, "App", new LittleFsFlash()));
        }

        [Fact]
        public void Without_the_application_in_flash_the_loader_takes_the_slot_path()
        {
            var flash = TwoSlots(out BootGuard guard);

            Assert.Null(InFlashApplication.Decide(false, "AliyunIot.Esp32.DeviceApplication", flash));
            LoaderPlan plan = LoaderPlan.Choose(guard, flash, guard.Boot(), 1 << 30, new byte[512]);
            Assert.Equal("2.0.0", plan.Decision.Version);
        }

        /// <summary>Slot A: 1.0.0 with 5,000 bytes of assemblies (confirmed); slot B: 2.0.0 with 92,800 bytes, activated (pending).</summary>
        private static LittleFsFlash TwoSlots(out BootGuard guard)
        {
            var flash = new LittleFsFlash();
            flash.Provision("slotA.img", OtaTestImages.Build("1.0.0", 1, 3000, 2000));
            var store = new SlotStore(flash);
            WriteWhole(store, OtaTestImages.Build("2.0.0", 2, 60000, 32800));
            OtaTestImages.ActivateAsVerified(store, "2.0.0", 3, new byte[512]);
            guard = new BootGuard(store);
            return flash;
        }

        private static void WriteWhole(SlotStore store, byte[] image)
        {
            using SlotWriter writer = store.OpenWriter("job", image.Length);
            writer.Write(image, 0, image.Length);
        }
    }
}
