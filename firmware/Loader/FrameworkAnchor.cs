using System;
using System.Collections;
using System.Device.Adc;
using System.Device.Gpio;
using System.IO;
using System.Net;
using System.Resources;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;
using nanoFramework.Networking;
using nanoFramework.Runtime.Events;
using nanoFramework.Runtime.Native;

namespace AliyunIot.Loader
{
    /// <summary>
    /// Names one type of every framework assembly the updatable application may use, so that each of them is part of
    /// the loader's deployment image (Loader.bin) that nanoff writes to the deployment region.
    /// </summary>
    /// <remarks>
    /// Why: an OTA image carries only the application's own assemblies (Esp32App.pe; flash.ps1 deploys the core and the
    /// components beside this image, see docs/board.md). When the loader
    /// calls <c>Assembly.Load</c> on them, every framework assembly they reference must already be on the device, and
    /// the only way to get an assembly into the deployment region is to make it part of the loader's .bin. The
    /// compiler drops references to assemblies no code mentions, so this class mentions them all, and the loader calls
    /// <see cref="Types"/> at boot so no build step can consider it dead code.
    /// Consequence: OTA cannot add a framework assembly or change a framework version — that needs a re-flash with
    /// flash.ps1 (docs/board.md). Keep the list tight: every deployed assembly, used or not, costs its runtime tables
    /// in the managed heap for the whole run (nanoCLR creates them for each assembly at boot; System.Net.Http alone was
    /// ~5 KB on a 90 KB WROOM, docs/board.md "Update tiers per profile").
    /// </remarks>
    public static class FrameworkAnchor
    {
        /// <summary>One type per framework assembly (the assembly is named in the comment).</summary>
        public static Type[] Types()
        {
            return new Type[]
            {
                typeof(ArrayList),                 // mscorlib
                typeof(Hashtable),                 // nanoFramework.System.Collections
                typeof(StringBuilder),             // nanoFramework.System.Text
                typeof(MemoryStream),              // System.IO.Streams
                typeof(File),                      // System.IO.FileSystem
                typeof(CancellationTokenSource),   // System.Threading
                typeof(Math),                      // System.Math
                typeof(IPAddress),                 // System.Net
                typeof(X509Certificate),           // System.Net (certificates)
                typeof(WifiNetworkHelper),         // System.Device.Wifi
                typeof(GpioController),            // System.Device.Gpio
                typeof(AdcController),             // System.Device.Adc
                typeof(MqttClient),                // nanoFramework.M2Mqtt
                typeof(UserProperty),              // nanoFramework.M2Mqtt.Core
                typeof(HMACSHA256),                // nanoFramework.System.Security.Cryptography
                typeof(ResourceManager),           // nanoFramework.ResourceManager
                typeof(Power),                     // nanoFramework.Runtime.Native
                typeof(EventSink),                 // nanoFramework.Runtime.Events
                typeof(NativeMemory),              // nanoFramework.Hardware.Esp32
            };
        }
    }
}
