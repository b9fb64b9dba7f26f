using AliyunIot.Ports;

namespace AliyunIot.Sensors
{
    /// <summary>
    /// One entry of device.json <c>sensors</c>, validated by <see cref="SensorConfigParser"/>. Which members matter
    /// depends on <see cref="Kind"/>: digital input (Pin, Pull, DebounceMs, Invert, EventId), digital output
    /// (Pin, Initial), ADC (Channel, Scale, Offset, PeriodMs, Deadband, Decimals, Min, Max).
    /// </summary>
    public sealed class SensorDefinition
    {
        /// <summary>The kind of sensor.</summary>
        public SensorKind Kind { get; set; }

        /// <summary>Thing-model property identifier the sensor feeds or the output follows.</summary>
        public string Property { get; set; }

        /// <summary>GPIO number (digital input/output).</summary>
        public int Pin { get; set; }

        /// <summary>Pull resistor (digital input).</summary>
        public PinPull Pull { get; set; }

        /// <summary>A new level must hold this long before it counts (digital input).</summary>
        public int DebounceMs { get; set; }

        /// <summary>Report the inverted level (e.g. a button to ground with pull-up reads true when pressed).</summary>
        public bool Invert { get; set; }

        /// <summary>Event identifier posted on every change (digital input), or null for none.</summary>
        public string EventId { get; set; }

        /// <summary>Level at start (digital output).</summary>
        public bool Initial { get; set; }

        /// <summary>ESP32 logical ADC channel: 0–7 ADC1, 8 temperature, 9 Hall, 10–19 ADC2 (ADC).</summary>
        public int Channel { get; set; }

        /// <summary>value = raw × Scale + Offset (ADC).</summary>
        public double Scale { get; set; }

        /// <summary>value = raw × Scale + Offset (ADC).</summary>
        public double Offset { get; set; }

        /// <summary>Sampling period in milliseconds (ADC).</summary>
        public int PeriodMs { get; set; }

        /// <summary>Smallest change that is posted (ADC); unchanged values are never posted.</summary>
        public double Deadband { get; set; }

        /// <summary>Digits after the point (ADC).</summary>
        public int Decimals { get; set; }

        /// <summary>Smallest valid value of the property (ADC).</summary>
        public double Min { get; set; }

        /// <summary>Largest valid value of the property (ADC).</summary>
        public double Max { get; set; }
    }
}
