using System.Device.Adc;
using AliyunIot.Ports;

namespace AliyunIot.Esp32
{
    /// <summary>An ADC channel.</summary>
    internal sealed class AdcAnalogInput : IAnalogInput
    {
        private readonly AdcChannel _channel;
        private readonly int _maxRaw;

        /// <summary>Wraps an opened channel of a controller whose full scale is <paramref name="maxRaw"/>.</summary>
        public AdcAnalogInput(AdcChannel channel, int maxRaw)
        {
            _channel = channel;
            _maxRaw = maxRaw;
        }

        /// <inheritdoc />
        public int MaxRaw
        {
            get { return _maxRaw; }
        }

        /// <inheritdoc />
        public int ReadRaw()
        {
            return _channel.ReadValue();
        }
    }
}
