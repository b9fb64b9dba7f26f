using System;
using System.Device.Adc;
using System.Device.Gpio;
using AliyunIot.Ports;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// <see cref="ISensorPins"/> over System.Device.Gpio and System.Device.Adc. ADC channel numbers are the ESP32's
    /// logical channels (0–7 = ADC1 on GPIO 36, 37, 38, 39, 32, 33, 34, 35; 8 internal temperature; 9 Hall).
    /// ADC2 (channels 10–19) is refused: it cannot be read while WiFi is on.
    /// </summary>
    public sealed class GpioSensorPins : ISensorPins
    {
        private readonly GpioController _gpio;
        private AdcController _adc;

        /// <summary>Creates the pins over the shared <paramref name="gpio"/> controller.</summary>
        public GpioSensorPins(GpioController gpio)
        {
            if (gpio == null)
            {
                throw new ArgumentNullException("gpio");
            }

            _gpio = gpio;
        }

        /// <inheritdoc />
        public IDigitalInput OpenInput(int pin, PinPull pull)
        {
            PinMode mode = PinMode.Input;
            if (pull == PinPull.Up)
            {
                mode = PinMode.InputPullUp;
            }
            else if (pull == PinPull.Down)
            {
                mode = PinMode.InputPullDown;
            }

            return new GpioDigitalInput(_gpio.OpenPin(pin, mode));
        }

        /// <inheritdoc />
        public IDigitalOutput OpenOutput(int pin, bool initialHigh)
        {
            GpioPin gpioPin = _gpio.OpenPin(pin, PinMode.Output);
            GpioDigitalOutput output = new GpioDigitalOutput(gpioPin);
            output.Write(initialHigh);
            return output;
        }

        /// <inheritdoc />
        public IAnalogInput OpenAnalog(int channel)
        {
            if (channel >= 10 && channel <= 19)
            {
                throw new ArgumentException("ADC channel " + channel.ToString() + " is on ADC2, which cannot be read while WiFi is on; use channels 0-7 (ADC1).");
            }

            if (_adc == null)
            {
                _adc = new AdcController();
            }

            return new AdcAnalogInput(_adc.OpenChannel(channel), _adc.MaxValue);
        }
    }
}
