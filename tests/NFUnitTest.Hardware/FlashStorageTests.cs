using System.IO;
using System.Text;
using AliyunIot.Config;
using AliyunIot.Loader;
using nanoFramework.TestFramework;
using OtaPartition;

namespace AliyunIot.NFUnitTest.Hardware
{
    /// <summary>
    /// The loader's I:\ storage on real littlefs, in a private folder (I:\nfut\) so the device's own slots and
    /// device.json are never touched: write, append, the delete-then-move replace, a whole slot cycle, and the
    /// device config store's rewrite and repair.
    /// </summary>
    [TestClass]
    public class FlashStorageTests
    {
        private const string Folder = "I:\\nfut\\";

        [TestMethod]
        public void Write_read_append_and_replace_on_littlefs()
        {
            HardwareGuard.RequireEsp32();
            FlashStorage storage = Fresh();
            try
            {
                Assert.AreEqual(-1L, storage.Length("a"), "missing file");
                Write(storage, "a", "hello");
                Assert.AreEqual(5L, storage.Length("a"), "written");
                IFlashFile append = storage.OpenAppend("a");
                byte[] more = Encoding.UTF8.GetBytes(" world");
                append.Write(more, 0, more.Length);
                append.Flush();
                append.Dispose();
                Assert.AreEqual("hello world", Read(storage, "a"), "appended");

                Write(storage, "a.new", "replacement");
                storage.Replace("a.new", "a");
                Assert.AreEqual("replacement", Read(storage, "a"), "replaced an existing file");
                Assert.IsFalse(storage.Exists("a.new"), "source gone");

                Write(storage, "b.new", "first");
                storage.Replace("b.new", "b");
                Assert.AreEqual("first", Read(storage, "b"), "replace without a destination");
                Assert.AreEqual(-1L, storage.Capacity, "littlefs on nanoFramework reports no volume size (littlefs_FS_Driver GetSizeInfo)");
            }
            finally
            {
                Clean();
            }
        }

        [TestMethod]
        public void A_whole_update_cycle_on_littlefs()
        {
            HardwareGuard.RequireEsp32();
            FlashStorage storage = Fresh();
            try
            {
                byte[] v1 = Image("1.0.0", 300);
                byte[] v2 = Image("2.0.0", 5000);
                IFlashFile slotA = storage.OpenCreate("slotA.img");
                slotA.Write(v1, 0, v1.Length);
                slotA.Flush();
                slotA.Dispose();

                SlotStore store = new SlotStore(storage);
                SlotWriter writer = store.OpenWriter("job", v2.Length);
                writer.Write(v2, 0, 2000);
                writer.Flush();
                writer.Dispose();
                writer = store.OpenWriter("job", v2.Length);
                Assert.AreEqual(2000L, writer.Offset, "resumed from flash");
                writer.Write(v2, 2000, v2.Length - 2000);
                writer.Flush();
                writer.Dispose();
                store.ActivateInactive("2.0.0", 3, new byte[512], 0);

                BootDecision decision = new BootGuard(new SlotStore(storage)).Boot();
                Assert.AreEqual("2.0.0", decision.Version, "new image runs");
                OtaImageHeader header;
                byte[][] assemblies = OtaImageReader.ReadAssemblies(storage, decision.FileName, out header);
                Assert.AreEqual(1, assemblies.Length, "assemblies read back");
                Assert.IsTrue(store.Confirm(), "confirmed");
            }
            finally
            {
                Clean();
            }
        }

        [TestMethod]
        public void Device_config_store_writes_and_repairs_on_littlefs()
        {
            HardwareGuard.RequireEsp32();
            FlashStorage storage = Fresh();
            try
            {
                FlashConfigStore store = new FlashConfigStore(storage, FlashConfigStore.DefaultName);
                Assert.IsNull(store.Read(), "no device.json yet");
                store.Write("{\"v\":1}");
                store.Write("{\"v\":2}");
                Assert.AreEqual("{\"v\":2}", store.Read(), "rewritten over an existing file");
                Assert.IsFalse(storage.Exists("device.json.new"), "no .new left");

                // The states a power cut inside a rewrite can leave (delete, then move, on littlefs).
                Write(storage, "device.json.new", "{\"v\":3");
                Assert.AreEqual("{\"v\":2}", store.Read(), "a torn .new beside the file is dropped");
                Assert.IsFalse(storage.Exists("device.json.new"), "torn .new deleted");
                storage.Delete("device.json");
                Write(storage, "device.json.new", "{\"v\":4}");
                Assert.AreEqual("{\"v\":4}", store.Read(), "a .new alone is moved into place");
                Assert.IsTrue(storage.Exists("device.json") && !storage.Exists("device.json.new"), "move finished");
            }
            finally
            {
                Clean();
            }
        }

        private static FlashStorage Fresh()
        {
            Clean();
            Directory.CreateDirectory(Folder);
            return new FlashStorage(Folder);
        }

        private static void Clean()
        {
            if (!Directory.Exists(Folder))
            {
                return;
            }

            // Every name these tests or the slot store can create (no reliance on what GetFiles returns).
            string[] names = new string[] { "a", "a.new", "b", "b.new", "slotA.img", "slotB.img", "manifest", "manifest.new", "download", "download.new", "device.json", "device.json.new" };
            for (int i = 0; i < names.Length; i++)
            {
                if (File.Exists(Folder + names[i]))
                {
                    File.Delete(Folder + names[i]);
                }
            }

            Directory.Delete(Folder);
        }

        private static void Write(IFlashStorage storage, string name, string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            IFlashFile file = storage.OpenCreate(name);
            file.Write(bytes, 0, bytes.Length);
            file.Flush();
            file.Dispose();
        }

        private static string Read(IFlashStorage storage, string name)
        {
            // The core's whole-file read (FlashConfigStore reads device.json with it), here on real littlefs.
            byte[] bytes = FlashFiles.ReadAll(storage, name, 65536);
            Assert.IsNotNull(bytes, name + " read whole");
            return Encoding.UTF8.GetString(bytes, 0, bytes.Length);
        }

        private static byte[] Image(string version, int size)
        {
            byte[] part = new byte[size];
            for (int i = 0; i < size; i++)
            {
                part[i] = (byte)(i * 13);
            }

            OtaImageEntry[] entries = new OtaImageEntry[] { new OtaImageEntry("App.pe", size, Crc32.Compute(part, 0, size)) };
            byte[] header = new OtaImageHeader(version, entries).Encode();
            byte[] image = new byte[header.Length + size];
            System.Array.Copy(header, image, header.Length);
            System.Array.Copy(part, 0, image, header.Length, size);
            return image;
        }
    }
}
