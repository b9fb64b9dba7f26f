using OtaPartition;
using Xunit;

namespace AliyunIot.Tests.Ota
{
    /// <summary>
    /// What the power-cut tests check after every cut: the device boots like the loader does (boot guard, then the
    /// image's header and per-assembly checks) and runs a complete image, the old one or the new one, never a mix.
    /// </summary>
    internal static class LoaderBootCheck
    {
        /// <summary>Boots <paramref name="storage"/>; asserts the image is whole and one of the two; returns its version.</summary>
        public static string RunsACompleteImage(IFlashStorage storage, string oldVersion, byte[][] oldAssemblies, byte[][] newAssemblies, string context)
        {
            var guard = new BootGuard(new SlotStore(storage));
            BootDecision boot = guard.Boot();
            Assert.True(boot.HasImage, context + ": an image to run");
            byte[][] running = OtaImageReader.ReadAssemblies(storage, boot.FileName, out OtaImageHeader header);
            guard.CheckVerified(boot, header);
            Assert.Equal(boot.Version, header.Version);
            Assert.Equal(header.Version == oldVersion ? oldAssemblies : newAssemblies, running);
            return header.Version;
        }
    }
}
