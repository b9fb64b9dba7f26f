using System;
using System.Device.Gpio;
using System.Threading;

namespace AliyunIot.Loader
{
    /// <summary>
    /// The loader's only signal when there is nothing it can run: an SOS-like rhythm on the board LED (GPIO 2 on most
    /// ESP32 DevKit boards), distinct from every pattern the application uses. The application's own StatusLed takes
    /// over the LED once it runs; the loader never touches it otherwise.
    /// </summary>
    internal static class LoaderLed
    {
        /// <summary>GPIO of the on-board LED of the common DevKit boards.</summary>
        public const int Pin = 2;

        /// <summary>Blinks "... --- ..." forever, with <paramref name="everyMs"/> between repeats of the message.</summary>
        /// <param name="message">Printed to the debug output at every repeat, so a late-attached terminal sees it.</param>
        /// <param name="everyMs">Pause between repeats.</param>
        public static void SignalForever(string message, int everyMs)
        {
            GpioPin pin = null;
            try
            {
                pin = new GpioController().OpenPin(Pin, PinMode.Output);
            }
            catch (Exception)
            {
                // No LED on this board: keep printing.
            }

            while (true)
            {
                Console.WriteLine(message);
                Blink(pin, 3, 150);
                Blink(pin, 3, 450);
                Blink(pin, 3, 150);
                Thread.Sleep(everyMs);
            }
        }

        private static void Blink(GpioPin pin, int times, int onMs)
        {
            for (int i = 0; i < times; i++)
            {
                if (pin != null)
                {
                    pin.Write(PinValue.High);
                }

                Thread.Sleep(onMs);
                if (pin != null)
                {
                    pin.Write(PinValue.Low);
                }

                Thread.Sleep(150);
            }

            Thread.Sleep(300);
        }
    }
}
