using System;
using System.Device.Gpio;
using System.Threading;

namespace AliyunIot.Esp32
{
    /// <summary>
    /// Drives one LED with the rhythm of the current <see cref="LedPattern"/> on its own low-priority thread, so the
    /// state is visible even when the application is busy or stuck waiting.
    /// </summary>
    public sealed class StatusLed : IDisposable
    {
        // On/off durations in ms, starting with "on"; the sequence repeats.

        private readonly GpioPin _pin;
        private readonly bool _activeHigh;
        private readonly AutoResetEvent _changed = new AutoResetEvent(false);
        private readonly Thread _thread;
        private LedPattern _pattern;
        private bool _stopping;

        /// <summary>Opens <paramref name="pinNumber"/> as an output; pass -1 for a board without a usable LED.</summary>
        /// <param name="controller">The shared GPIO controller.</param>
        /// <param name="pinNumber">GPIO number (2 on most ESP32 DevKit boards), or -1 for none.</param>
        /// <param name="activeHigh">True when a high level lights the LED.</param>
        public StatusLed(GpioController controller, int pinNumber, bool activeHigh)
        {
            _activeHigh = activeHigh;
            if (controller != null && pinNumber >= 0)
            {
                _pin = controller.OpenPin(pinNumber, PinMode.Output);
                Drive(false);
                _thread = new Thread(Run);
                _thread.Priority = ThreadPriority.BelowNormal;
                _thread.Start();
            }
        }

        /// <summary>The pattern shown now.</summary>
        public LedPattern Pattern
        {
            get { return _pattern; }
            set
            {
                if (_pattern != value)
                {
                    _pattern = value;
                    _changed.Set();
                }
            }
        }

        /// <summary>Stops blinking and turns the LED off.</summary>
        public void Dispose()
        {
            _stopping = true;
            _changed.Set();
            if (_thread != null)
            {
                _thread.Join(2000);
            }

            if (_pin != null)
            {
                Drive(false);
                _pin.Dispose();
            }
        }

        // On/off durations in ms, built when the pattern changes rather than held in statics: nanoCLR keeps whatever
        // static constructors allocate for the whole run (~280 B for six arrays), and the thread needs one at a time.
        private static int[] RhythmOf(LedPattern pattern)
        {
            switch (pattern)
            {
                case LedPattern.NoConfig:
                    return new int[] { 120, 150, 120, 1610 };
                case LedPattern.WifiConnecting:
                    return new int[] { 500, 500 };
                case LedPattern.CloudConnecting:
                    return new int[] { 125, 125 };
                case LedPattern.Online:
                    return new int[] { 2900, 100 };
                case LedPattern.Ota:
                    return new int[] { 50, 50 };
                case LedPattern.Error:
                    return new int[] { 600, 300, 600, 300, 600, 1600 };
                default:
                    return null;
            }
        }

        private void Run()
        {
            int[] rhythm = null;
            bool first = true;
            LedPattern shown = LedPattern.Off;
            while (!_stopping)
            {
                LedPattern pattern = _pattern;
                if (first || pattern != shown)
                {
                    rhythm = RhythmOf(pattern);
                    shown = pattern;
                    first = false;
                }

                if (rhythm == null)
                {
                    Drive(false);
                    _changed.WaitOne();
                    continue;
                }

                for (int i = 0; i < rhythm.Length && !_stopping; i++)
                {
                    Drive(i % 2 == 0);

                    // A pattern change interrupts the current rhythm at once.
                    if (_changed.WaitOne(rhythm[i], false))
                    {
                        break;
                    }
                }
            }
        }

        private void Drive(bool lit)
        {
            try
            {
                _pin.Write(lit == _activeHigh ? PinValue.High : PinValue.Low);
            }
            catch (Exception)
            {
                // A LED failure must never take the device down.
            }
        }
    }
}
