namespace AliyunIot.Ports
{
    /// <summary>Input pull resistor.</summary>
    public enum PinPull
    {
        /// <summary>No pull resistor.</summary>
        None = 0,
        /// <summary>Pull-up.</summary>
        Up = 1,
        /// <summary>Pull-down.</summary>
        Down = 2,
    }

    /// <summary>A digital input pin.</summary>
    public interface IDigitalInput
    {
        /// <summary>Current level (true = high).</summary>
        bool Read();
    }

    /// <summary>A digital output pin (relay, LED).</summary>
    public interface IDigitalOutput
    {
        /// <summary>Drives the pin (true = high).</summary>
        void Write(bool high);

        /// <summary>The level last written.</summary>
        bool Read();
    }

    /// <summary>An ADC channel.</summary>
    public interface IAnalogInput
    {
        /// <summary>Raw reading.</summary>
        int ReadRaw();

        /// <summary>Largest raw value (e.g. 4095 for 12 bits).</summary>
        int MaxRaw { get; }
    }

    /// <summary>Opens pins and channels. Device: System.Device.Gpio/Adc; host: simulated pins.</summary>
    public interface ISensorPins
    {
        /// <summary>Opens a digital input.</summary>
        IDigitalInput OpenInput(int pin, PinPull pull);

        /// <summary>Opens a digital output, initially at <paramref name="initialHigh"/>.</summary>
        IDigitalOutput OpenOutput(int pin, bool initialHigh);

        /// <summary>Opens an ADC channel (ESP32 logical channel number).</summary>
        IAnalogInput OpenAnalog(int channel);
    }
}
