using System.Text;
using AliyunIot.Config;
using AliyunIot.HostPorts.Storage;
using AliyunIot.Tests.Ota;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Identity
{
    /// <summary>
    /// The device's config store (<see cref="FlashConfigStore"/>, I:\device.json on the ESP32): reads what flash.ps1
    /// provisions as it is, and a power cut at any step of a rewrite (dynamic registration storing its secret) leaves
    /// the old document or the new one, whole, never none and never a torn one.
    /// </summary>
    public sealed class FlashConfigStoreTests : IDisposable
    {
        private const string Old = "{\"productKey\":\"a1B2c3D4e5F\",\"deviceName\":\"light-01\",\"productSecret\":\"p\",\"registration\":\"https\"}";
        private const string New = "{\"productKey\":\"a1B2c3D4e5F\",\"deviceName\":\"light-01\",\"deviceSecret\":\"registered-secret-0123456789abcdef\"}";

        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        [Fact]
        public void A_provisioned_file_is_read_as_it_is_and_a_write_is_plain_json()
        {
            string folder = _temp.Sub("plain");
            var store = new FlashConfigStore(new FileFlashStorage(folder), FlashConfigStore.DefaultName);
            Assert.Null(store.Read());

            // flash.ps1 deploys the file byte for byte; an editor may have added a UTF-8 byte order mark.
            File.WriteAllBytes(Path.Combine(folder, "device.json"), Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Old)).ToArray());
            Assert.Equal(Old, store.Read());

            store.Write(New);
            Assert.Equal(New, File.ReadAllText(Path.Combine(folder, "device.json")));
            Assert.Equal(New, store.Read());
            Assert.False(File.Exists(Path.Combine(folder, "device.json.new")));
        }

        [Fact]
        public void A_power_cut_at_every_step_of_a_rewrite_leaves_the_old_or_the_new_config_whole()
        {
            int clean = CountOperations();
            Assert.True(clean >= 4, "a rewrite takes " + clean + " flash operations (create, write, flush, delete, move)");
            int old = 0, fresh = 0;
            for (int cut = 1; cut <= clean; cut++)
            {
                string folder = _temp.Sub("cut" + cut);
                new FlashConfigStore(new FileFlashStorage(folder), FlashConfigStore.DefaultName).Write(Old);
                var faulty = new FaultInjectingStorage(new FileFlashStorage(folder), cut);
                var store = new FlashConfigStore(new DeviceStyleReplaceStorage(faulty), FlashConfigStore.DefaultName);
                Assert.Throws<PowerCutException>(() => store.Write(New));

                // Power back: the application reads its config.
                var afterCut = new FlashConfigStore(new DeviceStyleReplaceStorage(new FileFlashStorage(folder)), FlashConfigStore.DefaultName);
                string read = afterCut.Read();
                Assert.True(read == Old || read == New, "cut " + cut + ": read " + (read == null ? "nothing" : read.Length + " chars"));
                if (read == Old)
                {
                    old++;
                }
                else
                {
                    fresh++;
                }

                // Repaired on that read: no leftover, and the next rewrite works.
                Assert.False(File.Exists(Path.Combine(folder, "device.json.new")), "cut " + cut + ": .new left behind");
                afterCut.Write(New);
                Assert.Equal(New, afterCut.Read());
            }

            Assert.True(old > 0 && fresh > 0, $"old {old}, new {fresh}");
        }

        /// <summary>
        /// On the littlefs model (<see cref="LittleFsFlash"/>: committed on close, create truncates at once, replace =
        /// delete + move): a cut at every step of a rewrite, then a second cut at every step of the next rewrite
        /// (the device writes again before it reads: dynamic registration retrying). The config read afterwards is
        /// always the old or a new document, whole.
        /// </summary>
        [Fact]
        public void On_littlefs_a_cut_during_a_rewrite_and_a_second_cut_during_the_next_rewrite_never_lose_the_config()
        {
            const string Newer = "{\"productKey\":\"a1B2c3D4e5F\",\"deviceName\":\"light-01\",\"deviceSecret\":\"second-secret-0123456789abcdef\"}";
            var counting = LittleFsWithConfig();
            new FlashConfigStore(counting, FlashConfigStore.DefaultName).Write(New);
            int clean = counting.Operations;
            Assert.True(clean >= 5, "a rewrite takes " + clean + " flash operations");
            int seconds = 0;
            for (int cut = 1; cut <= clean; cut++)
            {
                LittleFsFlash flash = LittleFsWithConfig();
                flash.PowerOn(cut);
                Assert.Throws<PowerCutException>(() => new FlashConfigStore(flash, FlashConfigStore.DefaultName).Write(New));
                for (int second = 1; ; second++)
                {
                    LittleFsFlash device = flash.Clone();
                    device.PowerOn(second);
                    string context = "cut " + cut + ", second cut " + second;
                    try
                    {
                        new FlashConfigStore(device, FlashConfigStore.DefaultName).Write(Newer);
                    }
                    catch (PowerCutException)
                    {
                    }

                    bool cutHappened = device.PoweredOff;
                    device.PowerOn(0);
                    string read = new FlashConfigStore(device, FlashConfigStore.DefaultName).Read();
                    Assert.True(read == Old || read == New || read == Newer, context + ": read " + (read == null ? "nothing" : read.Length + " chars"));
                    if (!cutHappened)
                    {
                        Assert.Equal(Newer, read);
                        break;
                    }

                    seconds++;
                }
            }

            Assert.True(seconds > clean, "second cuts tried: " + seconds);
        }

        private static LittleFsFlash LittleFsWithConfig()
        {
            var flash = new LittleFsFlash();
            flash.Provision(FlashConfigStore.DefaultName, Encoding.UTF8.GetBytes(Old));
            return flash;
        }

        private int CountOperations()
        {
            string folder = _temp.Sub("count");
            new FlashConfigStore(new FileFlashStorage(folder), FlashConfigStore.DefaultName).Write(Old);
            var counting = new FaultInjectingStorage(new FileFlashStorage(folder), 0);
            new FlashConfigStore(new DeviceStyleReplaceStorage(counting), FlashConfigStore.DefaultName).Write(New);
            return counting.Operations;
        }
    }
}
