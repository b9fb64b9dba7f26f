using System.Device.Gpio;
using AliyunIot.Ports;

namespace AliyunIot.Esp32
{
    /// <summary>A digital input on a GPIO pin.</summary>
    internal sealed class GpioDigitalInput : IDigitalInput
    {
        private readonly GpioPin _pin;

        /// <summary>Wraps an opened input pin.</summary>
        public GpioDigitalInput(GpioPin pin)
        {
            _pin = pin;
        }

        /// <inheritdoc />
        public bool Read()
        {
            return _pin.Read() == PinValue.High;
        }
    }
}
