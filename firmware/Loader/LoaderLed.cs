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

        /// <summary>Opens the LED pin; null on a board without one (the signal is then only printed).</summary>
        public static GpioPin Open()
        {
            try
            {
                return new GpioController().OpenPin(Pin, PinMode.Output);
            }
            catch (Exception)
            {
                return null;
            }
        }

        /// <summary>Prints <paramref name="message"/>, blinks "... --- ..." once, then pauses <paramref name="pauseMs"/>.</summary>
        /// <param name="pin">From <see cref="Open"/> (may be null).</param>
        /// <param name="message">Printed at every repeat, so a late-attached terminal sees it.</param>
        /// <param name="pauseMs">Pause after the rhythm.</param>
        public static void SignalOnce(GpioPin pin, string message, int pauseMs)
        {
            Console.WriteLine(message);
            Blink(pin, 3, 150);
            Blink(pin, 3, 450);
            Blink(pin, 3, 150);
            Thread.Sleep(pauseMs);
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
