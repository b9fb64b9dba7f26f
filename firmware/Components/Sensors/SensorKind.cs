namespace AliyunIot.Sensors
{
    /// <summary>What a configured sensor or actuator is.</summary>
    public enum SensorKind
    {
        /// <summary>A digital input (button, contact): a read-only bool property, optionally an event on change.</summary>
        DigitalInput = 0,
        /// <summary>A digital output (relay, LED): a read-write bool property that drives the pin.</summary>
        DigitalOutput = 1,
        /// <summary>An ADC channel: a read-only double property, linear scale/offset, sampled periodically.</summary>
        Adc = 2,
    }
}
