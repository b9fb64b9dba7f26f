using System;
using System.Collections;
using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// <see cref="ISensorPins"/> in RAM (inputs start at their pull's level): the test sets input levels and ADC readings, reads output levels, makes an
    /// output "stuck" (it ignores writes, like a welded relay) or an input fail (its read throws).
    /// </summary>
    internal sealed class ScriptedPins : ISensorPins
    {
        private readonly Hashtable _inputs = new Hashtable();
        private readonly Hashtable _outputs = new Hashtable();
        private readonly Hashtable _analog = new Hashtable();
        private readonly Hashtable _pulls = new Hashtable();

        /// <inheritdoc />
        public IDigitalInput OpenInput(int pin, PinPull pull)
        {
            _pulls[pin] = (int)pull;
            // An open input with a pull-up reads high, like the real pin with nothing connected.
            Input input = new Input();
            input.Level = pull == PinPull.Up;
            _inputs[pin] = input;
            return input;
        }

        /// <inheritdoc />
        public IDigitalOutput OpenOutput(int pin, bool initialHigh)
        {
            Output output = new Output();
            output.Level = initialHigh;
            _outputs[pin] = output;
            return output;
        }

        /// <inheritdoc />
        public IAnalogInput OpenAnalog(int channel)
        {
            Analog analog = new Analog();
            _analog[channel] = analog;
            return analog;
        }

        /// <summary>The pull an input was opened with.</summary>
        public PinPull PullOf(int pin)
        {
            return (PinPull)(int)_pulls[pin];
        }

        /// <summary>Sets an input's level.</summary>
        public void SetInput(int pin, bool high)
        {
            ((Input)_inputs[pin]).Level = high;
        }

        /// <summary>Makes an input's reads throw (true) or work again.</summary>
        public void FailInput(int pin, bool fail)
        {
            ((Input)_inputs[pin]).Fail = fail;
        }

        /// <summary>Sets a channel's raw reading.</summary>
        public void SetAnalog(int channel, int raw)
        {
            ((Analog)_analog[channel]).Raw = raw;
        }

        /// <summary>An output's level.</summary>
        public bool GetOutput(int pin)
        {
            return ((Output)_outputs[pin]).Level;
        }

        /// <summary>Makes an output ignore writes.</summary>
        public void SetStuck(int pin, bool stuck)
        {
            ((Output)_outputs[pin]).Stuck = stuck;
        }

        private sealed class Input : IDigitalInput
        {
            public bool Level;
            public bool Fail;

            public bool Read()
            {
                if (Fail)
                {
                    throw new InvalidOperationException("pin read failed");
                }

                return Level;
            }
        }

        private sealed class Output : IDigitalOutput
        {
            public bool Level;
            public bool Stuck;

            public void Write(bool high)
            {
                if (!Stuck)
                {
                    Level = high;
                }
            }

            public bool Read()
            {
                return Level;
            }
        }

        private sealed class Analog : IAnalogInput
        {
            public int Raw;

            public int ReadRaw()
            {
                return Raw;
            }

            public int MaxRaw
            {
                get { return 4095; }
            }
        }
    }
}
