using System;
using System.Net.NetworkInformation;
using AliyunIot.Ports;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// <see cref="IRandom"/> on the device: <see cref="Random"/> seeded from the uptime and the WiFi MAC address, so
    /// units that boot in lock-step (a power cut hitting a whole site) still spread their reconnects.
    /// </summary>
    /// <remarks>
    /// nanoFramework exposes no cryptographic random generator (notes §A.9). This is good for back-off jitter; the
    /// dynamic-registration nonce only needs to be unpredictable to a replaying third party for a single request.
    /// </remarks>
    public sealed class DeviceRandom : IRandom
    {
        private readonly object _sync = new object();
        private readonly Random _random;

        /// <summary>Creates the generator.</summary>
        public DeviceRandom()
        {
            _random = new Random(Seed());
        }

        /// <inheritdoc />
        public int Next(int maxExclusive)
        {
            if (maxExclusive <= 0)
            {
                return 0;
            }

            lock (_sync)
            {
                return _random.Next(maxExclusive);
            }
        }

        /// <inheritdoc />
        public void NextBytes(byte[] buffer)
        {
            lock (_sync)
            {
                _random.NextBytes(buffer);
            }
        }

        private static int Seed()
        {
            int seed = (int)(Environment.TickCount64 & 0x7FFFFFFF);
            try
            {
                NetworkInterface[] interfaces = NetworkInterface.GetAllNetworkInterfaces();
                for (int i = 0; i < interfaces.Length; i++)
                {
                    byte[] mac = interfaces[i].PhysicalAddress;
                    for (int j = 0; mac != null && j < mac.Length; j++)
                    {
                        seed = (seed * 31) + mac[j];
                    }
                }
            }
            catch (Exception)
            {
                // No interface information: the uptime alone still differs between boots.
            }

            return seed & 0x7FFFFFFF;
        }
    }
}
