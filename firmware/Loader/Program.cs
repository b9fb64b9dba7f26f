using System;
using System.Reflection;
using System.Threading;
using nanoFramework.Runtime.Native;
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
    /// only be loaded after a reboot. So a failure BEFORE any Assembly.Load (a damaged image) switches slots in the
    /// same boot, and a failure AFTER it records the rollback and reboots.
    /// </remarks>
    public static class Program
    {
        /// <summary>Full name of the application's entry type inside the OTA image.</summary>
        public const string EntryTypeName = "AliyunIot.Esp32.DeviceApplication";

        /// <summary>Name of the public static entry method: <c>void Run(OtaPartition.IFlashStorage storage)</c>.</summary>
        public const string EntryMethodName = "Run";

        private const int RetryAfterCrashMs = 10000;
        private const int RetryAfterLoadFailureMs = 60000;

        /// <summary>Entry point of the deployment image.</summary>
        public static void Main()
        {
            Console.WriteLine("[loader] starting; " + FrameworkAnchor.Types().Length.ToString() + " framework assemblies deployed.");
            FlashStorage storage = new FlashStorage(FlashStorage.DefaultRoot);
            SlotStore store = new SlotStore(storage);
            BootGuard guard = new BootGuard(store);
            byte[] buffer = new byte[1024];

            BootDecision decision;
            try
            {
                decision = guard.Boot();
            }
            catch (Exception e)
            {
                Console.WriteLine("[loader] cannot read the slot manifest (" + e.GetType().Name + "): " + e.Message);
                RebootAfter(RetryAfterCrashMs);
                return;
            }

            // At most one switch per boot for a damaged image: A bad → B; B bad as well → nothing left.
            for (int attempt = 0; attempt < 2; attempt++)
            {
                if (!decision.HasImage)
                {
                    NoImage();
                    return;
                }

                Console.WriteLine("[loader] slot " + SlotStore.SlotLetter(decision.Slot) + ", version " + decision.Version + ", state " + StateName(decision.State) + ", boot attempt " + decision.BootAttempts.ToString() + ".");
                OtaImageHeader header;
                byte[][] assemblies;
                try
                {
                    assemblies = OtaImageReader.ReadAssemblies(storage, decision.FileName, out header);

                    // Cheap re-check of an image installed over the air: the signature bytes the agent verified.
                    guard.CheckVerified(decision, header);
                }
                catch (OtaImageException e)
                {
                    Console.WriteLine("[loader] image in slot " + SlotStore.SlotLetter(decision.Slot) + " rejected: " + e.Message);
                    decision = guard.ReportBadImage(decision, buffer);
                    continue;
                }

                RunImage(storage, guard, decision, header, assemblies, buffer);
                return;
            }

            NoImage();
        }

        private static void RunImage(IFlashStorage storage, BootGuard guard, BootDecision decision, OtaImageHeader header, byte[][] assemblies, byte[] buffer)
        {
            MethodInfo entry;
            try
            {
                entry = LoadEntryPoint(header, assemblies);
            }
            catch (Exception e)
            {
                // Assemblies may be half-loaded now: record the failure and reboot so the fallback loads into a clean runtime.
                Console.WriteLine("[loader] image " + header.Version + " cannot be loaded (" + e.GetType().Name + "): " + e.Message);
                FailAndReboot(guard, decision, buffer, RetryAfterLoadFailureMs,
                    "If every image fails like this, the framework assemblies on the device do not match the ones the image was built against: re-flash with flash.ps1.");
                return;
            }

            // The PE bytes are referenced by the runtime from now on; drop our array so only one reference remains.
            assemblies = null;
            try
            {
                Console.WriteLine("[loader] starting " + EntryTypeName + " " + header.Version + ".");
                entry.Invoke(null, new object[] { storage });
                Console.WriteLine("[loader] the application returned; rebooting.");
            }
            catch (Exception e)
            {
                Console.WriteLine("[loader] the application failed (" + e.GetType().Name + "): " + e.Message);
            }

            FailAndReboot(guard, decision, buffer, RetryAfterCrashMs, null);
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

            MethodInfo method = entryType.GetMethod(EntryMethodName);
            if (method == null || !method.IsStatic)
            {
                throw new InvalidOperationException("No public static " + EntryMethodName + " in " + EntryTypeName + ".");
            }

            return method;
        }

        private static void FailAndReboot(BootGuard guard, BootDecision decision, byte[] buffer, int delayMs, string hint)
        {
            if (decision.State == SlotState.Testing || decision.State == SlotState.Pending)
            {
                // A new image that cannot start has proven it is bad: go back to the confirmed one now instead of
                // burning the remaining boot attempts.
                try
                {
                    BootDecision next = guard.ReportBadImage(decision, buffer);
                    Console.WriteLine("[loader] rolled back to slot " + SlotStore.SlotLetter(next.Slot) + " (" + next.Version + ").");
                    delayMs = 1000;
                }
                catch (Exception e)
                {
                    Console.WriteLine("[loader] rollback failed (" + e.GetType().Name + ").");
                }
            }
            else if (hint != null)
            {
                Console.WriteLine("[loader] " + hint);
            }

            RebootAfter(delayMs);
        }

        private static void RebootAfter(int delayMs)
        {
            // Never a hot reboot loop: the delay keeps the serial port usable for nanoff and the log readable.
            Thread.Sleep(delayMs);
            Power.RebootDevice(RebootOption.NormalReboot);
        }

        private static void NoImage()
        {
            LoaderLed.SignalForever(
                "[loader] no valid application image on I:\\ (slotA.img / slotB.img). Flash the initial image with flash.ps1 (see docs/board.md).",
                5000);
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
