using System.Device.Gpio;
using AliyunIot.Ports;

namespace AliyunIot.Esp32
{
    /// <summary>A digital output (relay, LED) on a GPIO pin; remembers the level it drives.</summary>
    internal sealed class GpioDigitalOutput : IDigitalOutput
    {
        private readonly GpioPin _pin;
        private bool _high;

        /// <summary>Wraps an opened output pin.</summary>
        public GpioDigitalOutput(GpioPin pin)
        {
            _pin = pin;
        }

        /// <inheritdoc />
        public void Write(bool high)
        {
            _pin.Write(high ? PinValue.High : PinValue.Low);
            _high = high;
        }

        /// <inheritdoc />
        public bool Read()
        {
            // The level written, not a read-back: reading an output pin is not meaningful on every ESP32 GPIO.
            return _high;
        }
    }
}
