namespace AliyunIot.Simulator.Device
{
    /// <summary>
    /// The simulated room the device measures: deterministic (the n-th sample is always the same for the same
    /// inputs) and steerable — the temperature moves a fifth of the way toward its target at every sample, with a
    /// small fixed ripple so posts change. The target comes from the command line or the cloud's
    /// <c>TargetTemperature</c> property. Thread-safe.
    /// </summary>
    public sealed class SimulatedClimate
    {
        private readonly object _gate = new object();
        private long _samples;
        private double _temperature;
        private double _target;

        /// <summary>Creates the room at <paramref name="temperature"/> heading for <paramref name="target"/> (°C).</summary>
        public SimulatedClimate(double temperature, double target)
        {
            _temperature = temperature;
            _target = target;
        }

        /// <summary>The temperature the sensor sees now, °C.</summary>
        public double Temperature
        {
            get
            {
                lock (_gate)
                {
                    return _temperature;
                }
            }
        }

        /// <summary>Where the temperature is heading, °C.</summary>
        public double Target
        {
            get
            {
                lock (_gate)
                {
                    return _target;
                }
            }

            set
            {
                lock (_gate)
                {
                    _target = value;
                }
            }
        }

        /// <summary>Relative humidity, %, derived from the temperature (deterministic).</summary>
        public double Humidity
        {
            get
            {
                lock (_gate)
                {
                    return Math.Clamp(Math.Round(70 - (_temperature * 1.2), 1), 0, 100);
                }
            }
        }

        /// <summary>Forces the temperature (command line, tests).</summary>
        public void SetTemperature(double value)
        {
            lock (_gate)
            {
                _temperature = value;
            }
        }

        /// <summary>Advances one sample period and returns the new temperature.</summary>
        public double Step()
        {
            lock (_gate)
            {
                _samples++;
                double ripple = (_samples % 4) switch { 0 => 0.0, 1 => 0.1, 2 => 0.0, _ => -0.1 };
                _temperature = Math.Round(_temperature + ((_target - _temperature) * 0.2) + ripple, 1);
                return _temperature;
            }
        }
    }
}
