using System;
using System.Device.Gpio;
using System.Reflection;
using System.Threading;
using nanoFramework.Runtime.Native;
using GC = nanoFramework.Runtime.Native.GC;
using OtaPartition;

namespace AliyunIot.Loader
{
    /// <summary>
    /// The stable loader: the only application nanoff deploys. At every boot it lets <see cref="BootGuard"/> choose the
    /// slot (counting boots of a new image and rolling back one that never confirmed), validates the slot's OTA image
    /// against its header, loads its assemblies with <c>Assembly.Load</c> in the listed order and calls the
    /// application's entry point, handing it the flash storage.
    /// </summary>
    /// <remarks>
    /// Assemblies cannot be unloaded on nanoFramework: once one assembly of an image was loaded, the fallback image can
    /// only be loaded after a reboot. So a refusal BEFORE anything is read (a damaged image, or one that needs more
    /// heap than is free: <see cref="LoaderPlan"/>) switches slots in the same boot; a failure while reading or
    /// loading is counted by <see cref="BootGuard.ReportLoadFailure"/> and reboots (a trial image retries within its
    /// boot attempts, then <see cref="BootGuard.Boot"/> rolls it back); with no slot left the loader waits for
    /// provisioning. On a board whose profile has no code OTA the application is deployed in flash with the platform
    /// tier (flash.ps1): <see cref="InFlashApplication"/> then runs it directly and the slots are ignored.
    /// </remarks>
    public static class Program
    {
        /// <summary>Full name of the application's entry type inside the OTA image.</summary>
        public const string EntryTypeName = "AliyunIot.Esp32.DeviceApplication";

        /// <summary>Name of the public static entry method: <c>void Run(OtaPartition.IFlashStorage storage)</c>.</summary>
        public const string EntryMethodName = "Run";

        private const int RetryAfterCrashMs = 10000;

        // Short: a trial image retries within its boot attempts; a confirmed one gets MaxLoadFailures tries.
        private const int RetryAfterLoadFailureMs = 3000;

        // Home#968: Assembly.Load right after reading the file can fail; nanoFramework's sample sleeps 20 ms.
        private const int LoadPauseMs = 20;

        /// <summary>Entry point of the deployment image.</summary>
        public static void Main()
        {
            Console.WriteLine("[loader] starting; " + FrameworkAnchor.Types().Length.ToString() + " framework assemblies deployed.");
            FlashStorage storage = new FlashStorage(FlashStorage.DefaultRoot);
            SlotStore store = new SlotStore(storage);
            Type inFlash = DeployedEntryType();
            string runsFromFlash = InFlashApplication.Decide(inFlash != null, EntryTypeName, storage);
            if (runsFromFlash != null)
            {
                // A board without code OTA (docs/board.md): the application is part of the deployment; the slots,
                // the boot guard and Assembly.Load are not involved.
                Console.WriteLine(runsFromFlash);
                RunFromFlash(storage, inFlash);
                return;
            }

            BootGuard guard = new BootGuard(store);
            byte[] buffer = new byte[1024];

            // Every failure below ends in a defined state: the other slot, a counted retry (reboot), or waiting for
            // provisioning; none escapes Main.
            LoaderPlan plan;
            long freeHeap;
            try
            {
                BootDecision decision = guard.Boot();

                // Free heap after a compacting collection: what Assembly.Load can have (it keeps every .pe byte).
                freeHeap = GC.Run(true);
                plan = LoaderPlan.Choose(guard, storage, decision, freeHeap, buffer);
            }
            catch (Exception e)
            {
                Console.WriteLine("[loader] cannot read the slots (" + e.GetType().Name + "): " + e.Message);
                RebootAfter(RetryAfterCrashMs);
                return;
            }

            if (plan.Refusals.Length > 0)
            {
                Console.WriteLine("[loader] passed over: " + plan.Refusals + ".");
            }

            if (!plan.Decision.HasImage)
            {
                NoImage(storage, plan.Refusals);
                return;
            }

            BootDecision chosen = plan.Decision;
            Console.WriteLine("[loader] slot " + SlotStore.SlotLetter(chosen.Slot) + ", version " + chosen.Version + ", state " + StateName(chosen.State) + ", boot attempt " + chosen.BootAttempts.ToString()
                + "; " + plan.AssemblyBytes.ToString() + " bytes of assemblies, " + freeHeap.ToString() + " bytes of heap free.");
            OtaImageHeader header;
            byte[][] assemblies;
            try
            {
                assemblies = OtaImageReader.ReadAssemblies(storage, chosen.FileName, out header);
            }
            catch (OutOfMemoryException)
            {
                LoadFailed(storage, guard, chosen, buffer, "reading the image ran out of memory: " + LoadBudget.Shortfall(plan.AssemblyBytes, GC.Run(true)));
                return;
            }
            catch (Exception e)
            {
                // Validated a moment ago: the flash read failed now. Nothing is loaded, so retry after a reboot.
                LoadFailed(storage, guard, chosen, buffer, "reading the image failed (" + e.GetType().Name + "): " + e.Message);
                return;
            }

            // Home#968: an Assembly.Load right after reading the file can fail; the official sample pauses first.
            Thread.Sleep(LoadPauseMs);
            RunImage(storage, guard, chosen, header, assemblies, buffer, freeHeap);
        }

        private static void RunImage(IFlashStorage storage, BootGuard guard, BootDecision decision, OtaImageHeader header, byte[][] assemblies, byte[] buffer, long freeHeap)
        {
            long assemblyBytes = LoadBudget.AssemblyBytes(header);
            MethodInfo entry;
            try
            {
                entry = LoadEntryPoint(header, assemblies);
            }
            catch (OutOfMemoryException)
            {
                // Not the framework hint: the real cause is the heap, with the numbers.
                LoadFailed(storage, guard, decision, buffer, "image " + header.Version + " ran out of memory while loading: needs about "
                    + LoadBudget.Required(assemblyBytes).ToString() + " bytes, " + freeHeap.ToString() + " were free before loading");
                return;
            }
            catch (Exception e)
            {
                LoadFailed(storage, guard, decision, buffer, "image " + header.Version + " cannot be loaded (" + e.GetType().Name + "): " + e.Message
                    + ". If every image fails like this, the framework assemblies on the device do not match the ones the image was built against: re-flash with flash.ps1.");
                return;
            }

            // The PE bytes are referenced by the runtime from now on; drop our array so only one reference remains.
            assemblies = null;
            try
            {
                guard.ReportStarted(decision);
                Console.WriteLine("[loader] starting " + EntryTypeName + " " + header.Version + ".");
                entry.Invoke(null, new object[] { storage });
                Console.WriteLine("[loader] the application returned; rebooting.");
            }
            catch (Exception e)
            {
                Console.WriteLine("[loader] the application failed (" + e.GetType().Name + "): " + e.Message);
            }

            ApplicationFailed(guard, decision, buffer);
        }

        /// <summary>
        /// Loading failed (assemblies may be half-loaded, so only a reboot gives a clean runtime): the guard counts it
        /// (a trial image used one of its boots; a confirmed one a load failure) and says what the next boot runs.
        /// </summary>
        private static void LoadFailed(IFlashStorage storage, BootGuard guard, BootDecision decision, byte[] buffer, string cause)
        {
            Console.WriteLine("[loader] " + cause);
            try
            {
                BootDecision next = guard.ReportLoadFailure(decision, buffer);
                if (!next.HasImage)
                {
                    NoImage(storage, "slot " + SlotStore.SlotLetter(decision.Slot) + " failed to load " + BootGuard.MaxLoadFailures.ToString() + " times and the other slot holds no valid image");
                    return;
                }

                Console.WriteLine("[loader] next boot: slot " + SlotStore.SlotLetter(next.Slot) + " (" + next.Version + ", " + StateName(next.State) + ").");
            }
            catch (Exception e)
            {
                Console.WriteLine("[loader] recording the load failure failed (" + e.GetType().Name + ").");
            }

            RebootAfter(RetryAfterLoadFailureMs);
        }

        private static MethodInfo LoadEntryPoint(OtaImageHeader header, byte[][] assemblies)
        {
            Type entryType = null;
            for (int i = 0; i < assemblies.Length; i++)
            {
                Assembly assembly = Assembly.Load(assemblies[i]);
                assemblies[i] = null;
                Console.WriteLine("[loader] loaded " + header.Entries[i].Name + ".");
                Type candidate = assembly.GetType(EntryTypeName);
                if (candidate != null)
                {
                    entryType = candidate;
                }
            }

            if (entryType == null)
            {
                throw new InvalidOperationException("No type " + EntryTypeName + " in the image.");
            }

            return EntryMethod(entryType);
        }

        private static MethodInfo EntryMethod(Type entryType)
        {
            MethodInfo method = entryType.GetMethod(EntryMethodName);
            if (method == null || !method.IsStatic)
            {
                throw new InvalidOperationException("No public static " + EntryMethodName + " in " + EntryTypeName + ".");
            }

            return method;
        }

        /// <summary>
        /// The application's entry type when flash.ps1 deployed it with the platform tier (profiles without code OTA),
        /// else null. nanoCLR's Type.GetType without an assembly name searches every deployed assembly
        /// (CLR_RT_TypeSystem::FindTypeDef with no assembly); before any Assembly.Load that is the deployment region.
        /// </summary>
        private static Type DeployedEntryType()
        {
            try
            {
                return Type.GetType(EntryTypeName);
            }
            catch (Exception)
            {
                return null;
            }
        }

        private static void RunFromFlash(IFlashStorage storage, Type entryType)
        {
            try
            {
                MethodInfo entry = EntryMethod(entryType);
                Console.WriteLine("[loader] starting " + EntryTypeName + " from flash.");
                entry.Invoke(null, new object[] { storage });
                Console.WriteLine("[loader] the application returned; rebooting.");
            }
            catch (Exception e)
            {
                Console.WriteLine("[loader] the application failed (" + e.GetType().Name + "): " + e.Message);
            }

            // Nothing to roll back to: the deployment is the only application; retry after the usual delay.
            RebootAfter(RetryAfterCrashMs);
        }

        private static void ApplicationFailed(BootGuard guard, BootDecision decision, byte[] buffer)
        {
            int delayMs = RetryAfterCrashMs;
            if (decision.State == SlotState.Testing || decision.State == SlotState.Pending)
            {
                // A new image that loaded and then failed has proven it is bad: go back to the confirmed one now
                // instead of burning the remaining boot attempts.
                try
                {
                    BootDecision next = guard.ReportBadImage(decision, buffer, "the application failed");
                    Console.WriteLine("[loader] rolled back to slot " + SlotStore.SlotLetter(next.Slot) + " (" + next.Version + ").");
                    delayMs = 1000;
                }
                catch (Exception e)
                {
                    Console.WriteLine("[loader] rollback failed (" + e.GetType().Name + ").");
                }
            }

            RebootAfter(delayMs);
        }

        private static void RebootAfter(int delayMs)
        {
            // Never a hot reboot loop: the delay keeps the serial port usable for nanoff and the log readable.
            Thread.Sleep(delayMs);
            Power.RebootDevice(RebootOption.NormalReboot);
        }

        private static void NoImage(IFlashStorage storage, string cause)
        {
            // Waiting for provisioning: nanoff can still deploy (the loader only blinks), and the cause stays in the log.
            // nanoff's file deployment never reboots the board, so when the slot files change (a new image written
            // over the wire protocol) and then stay the same for a whole round, the loader reboots to run it: the
            // fallback for flash.ps1's final reset step.
            string message = "[loader] no application image this board can run on I:\\ (slotA.img / slotB.img)" + (cause.Length == 0 ? string.Empty : ": " + cause)
                + ". Flash the initial image with flash.ps1 (see docs/board.md).";
            GpioPin pin = LoaderLed.Open();
            string seen = SlotFilesStamp(storage);
            bool changed = false;
            while (true)
            {
                LoaderLed.SignalOnce(pin, message, 5000);
                string now = SlotFilesStamp(storage);
                if (now == seen && changed)
                {
                    Console.WriteLine("[loader] new files on I:\\; rebooting to run them.");
                    Power.RebootDevice(RebootOption.NormalReboot);
                }

                changed = changed || now != seen;
                seen = now;
            }
        }

        private static string SlotFilesStamp(IFlashStorage storage)
        {
            try
            {
                return storage.Length(SlotStore.SlotFileName(0)).ToString() + "/" + storage.Length(SlotStore.SlotFileName(1)).ToString()
                    + "/" + storage.Length(SlotStore.ManifestName).ToString() + "/" + storage.Length("device.json").ToString();
            }
            catch (Exception)
            {
                return string.Empty;
            }
        }

        private static string StateName(SlotState state)
        {
            // Enums print as numbers on nanoFramework.
            switch (state)
            {
                case SlotState.Confirmed:
                    return "confirmed";
                case SlotState.Pending:
                    return "pending";
                case SlotState.Testing:
                    return "testing";
                default:
                    return "rolled back";
            }
        }
    }
}
