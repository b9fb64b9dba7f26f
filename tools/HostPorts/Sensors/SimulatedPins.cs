using AliyunIot.Ports;

namespace AliyunIot.HostPorts.Sensors
{
    /// <summary>
    /// Host <see cref="ISensorPins"/>: input levels and ADC readings that tests and the simulator set, outputs whose
    /// level and write history they can read. Thread-safe. An output can be made "stuck" to simulate a relay that
    /// does not follow its drive.
    /// </summary>
    public sealed class SimulatedPins : ISensorPins
    {
        private readonly object _gate = new object();
        private readonly Dictionary<int, bool> _inputs = new Dictionary<int, bool>();
        private readonly Dictionary<int, PinPull> _pulls = new Dictionary<int, PinPull>();
        private readonly Dictionary<int, bool> _outputs = new Dictionary<int, bool>();
        private readonly Dictionary<int, int> _writes = new Dictionary<int, int>();
        private readonly HashSet<int> _stuck = new HashSet<int>();
        private readonly Dictionary<int, int> _analog = new Dictionary<int, int>();

        /// <summary>Creates pins with 12-bit ADCs.</summary>
        public SimulatedPins(int maxRaw = 4095)
        {
            MaxRaw = maxRaw;
        }

        /// <summary>Largest raw ADC value.</summary>
        public int MaxRaw { get; }

        /// <summary>Sets the level an input reads.</summary>
        public void SetInput(int pin, bool high)
        {
            lock (_gate)
            {
                _inputs[pin] = high;
            }
        }

        /// <summary>Sets the raw value an ADC channel reads (clamped to 0..MaxRaw).</summary>
        public void SetAnalog(int channel, int raw)
        {
            lock (_gate)
            {
                _analog[channel] = Math.Clamp(raw, 0, MaxRaw);
            }
        }

        /// <summary>The level an output is driven to.</summary>
        public bool GetOutput(int pin)
        {
            lock (_gate)
            {
                return _outputs.TryGetValue(pin, out bool level) && level;
            }
        }

        /// <summary>How many times an output was written (not counting its initial level).</summary>
        public int WriteCount(int pin)
        {
            lock (_gate)
            {
                return _writes.TryGetValue(pin, out int count) ? count : 0;
            }
        }

        /// <summary>Makes an output ignore writes (a stuck relay).</summary>
        public void SetStuck(int pin, bool stuck)
        {
            lock (_gate)
            {
                if (stuck)
                {
                    _stuck.Add(pin);
                }
                else
                {
                    _stuck.Remove(pin);
                }
            }
        }

        /// <summary>The pull an input was opened with, or null when not open.</summary>
        public PinPull? PullOf(int pin)
        {
            lock (_gate)
            {
                return _pulls.TryGetValue(pin, out PinPull pull) ? pull : null;
            }
        }

        /// <inheritdoc />
        /// <summary>One line with every opened pin: <c>inputs 4=high; outputs 2=low; adc 6=2048/4095</c>.</summary>
        public string Describe()
        {
            lock (_gate)
            {
                static string Level(bool high) => high ? "high" : "low";
                string inputs = string.Join(", ", _inputs.OrderBy(p => p.Key).Select(p => p.Key + "=" + Level(p.Value)));
                string outputs = string.Join(", ", _outputs.OrderBy(p => p.Key).Select(p => p.Key + "=" + Level(p.Value)));
                string analog = string.Join(", ", _analog.OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value + "/" + MaxRaw));
                return "inputs " + (inputs.Length == 0 ? "-" : inputs) + "; outputs " + (outputs.Length == 0 ? "-" : outputs) + "; adc " + (analog.Length == 0 ? "-" : analog);
            }
        }

        /// <inheritdoc />
        public IDigitalInput OpenInput(int pin, PinPull pull)
        {
            lock (_gate)
            {
                _pulls[pin] = pull;
                if (!_inputs.ContainsKey(pin))
                {
                    // An unconnected input rests where its pull puts it.
                    _inputs[pin] = pull == PinPull.Up;
                }
            }

            return new Input(this, pin);
        }

        /// <inheritdoc />
        public IDigitalOutput OpenOutput(int pin, bool initialHigh)
        {
            lock (_gate)
            {
                _outputs[pin] = initialHigh;
            }

            return new Output(this, pin);
        }

        /// <inheritdoc />
        public IAnalogInput OpenAnalog(int channel)
        {
            lock (_gate)
            {
                _analog.TryAdd(channel, 0);
            }

            return new Analog(this, channel);
        }

        private sealed class Input : IDigitalInput
        {
            private readonly SimulatedPins _pins;
            private readonly int _pin;

            public Input(SimulatedPins pins, int pin)
            {
                _pins = pins;
                _pin = pin;
            }

            public bool Read()
            {
                lock (_pins._gate)
                {
                    return _pins._inputs[_pin];
                }
            }
        }

        private sealed class Output : IDigitalOutput
        {
            private readonly SimulatedPins _pins;
            private readonly int _pin;

            public Output(SimulatedPins pins, int pin)
            {
                _pins = pins;
                _pin = pin;
            }

            public void Write(bool high)
            {
                lock (_pins._gate)
                {
                    _pins._writes[_pin] = (_pins._writes.TryGetValue(_pin, out int count) ? count : 0) + 1;
                    if (!_pins._stuck.Contains(_pin))
                    {
                        _pins._outputs[_pin] = high;
                    }
                }
            }

            public bool Read()
            {
                lock (_pins._gate)
                {
                    return _pins._outputs[_pin];
                }
            }
        }

        private sealed class Analog : IAnalogInput
        {
            private readonly SimulatedPins _pins;
            private readonly int _channel;

            public Analog(SimulatedPins pins, int channel)
            {
                _pins = pins;
                _channel = channel;
            }

            public int MaxRaw => _pins.MaxRaw;

            public int ReadRaw()
            {
                lock (_pins._gate)
                {
                    return _pins._analog[_channel];
                }
            }
        }
    }
}
