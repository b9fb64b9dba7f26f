using System;
using System.Collections;
using System.Threading;
using AliyunIot.Ports;
using AliyunIot.Thing;

namespace AliyunIot.Sensors
{
    /// <summary>
    /// Turns configured sensors into thing-model properties and keeps them posted. Digital inputs become read-only
    /// bool properties, debounced, posted on change (plus an optional event carrying the new level); ADC channels
    /// become read-only double properties sampled every PeriodMs, scaled, rounded to the declared decimals and
    /// posted only when they moved by at least the deadband; digital outputs become read-write bool properties
    /// whose setter drives the pin and checks it took the level (the dispatcher then posts the new value back).
    /// Properties the application already declared with that identifier are reused. Polling happens in
    /// <see cref="Tick"/>, called by the poller's own thread (<see cref="Start"/>) or by the application's loop;
    /// each Tick also lets the reporter expire replies and deliver buffered readings.
    /// </summary>
    public sealed class SensorPoller
    {
        private const string Source = "sensors";

        private readonly SensorDefinition[] _sensors;
        private readonly ThingModel _model;
        private readonly ThingReporter _reporter;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly SensorState[] _states;
        private readonly AutoResetEvent _wake = new AutoResetEvent(false);
        private readonly object _tickGate = new object();
        private Thread _thread;
        private bool _running;
        private int _tickMs;

        /// <summary>Opens every pin and channel and declares the properties (and events) in the model.</summary>
        /// <param name="sensors">From <see cref="SensorConfigParser.Parse(System.Collections.ArrayList, bool, EspChip)"/>.</param>
        /// <param name="model">The thing model to extend.</param>
        /// <param name="reporter">Posts values and events.</param>
        /// <param name="pins">Device GPIO/ADC, or simulated pins on the host.</param>
        /// <param name="clock">Monotonic time for debounce and sampling periods.</param>
        /// <param name="log">Log.</param>
        /// <exception cref="ArgumentException">The model already has a property of that name with an unusable type.</exception>
        public SensorPoller(SensorDefinition[] sensors, ThingModel model, ThingReporter reporter, ISensorPins pins, IClock clock, ILog log)
        {
            _sensors = sensors;
            _model = model;
            _reporter = reporter;
            _clock = clock;
            _log = log;
            _states = new SensorState[sensors.Length];
            for (int i = 0; i < sensors.Length; i++)
            {
                _states[i] = Attach(sensors[i], pins);
            }
        }

        /// <summary>Pin or channel reads that threw, since start.</summary>
        public int ReadErrors { get; private set; }

        /// <summary>Polls every sensor once: debounced inputs, due ADC samples; then the reporter's Tick.</summary>
        public void Tick()
        {
            lock (_tickGate)
            {
                long now = _clock.MonotonicMs;
                for (int i = 0; i < _sensors.Length; i++)
                {
                    try
                    {
                        Poll(_sensors[i], _states[i], now);
                    }
                    catch (Exception e)
                    {
                        ReadErrors++;
                        _log.Write(LogLevel.Warning, Source, "reading " + _sensors[i].Property + " failed: " + e.Message);
                    }
                }

                _reporter.Tick();
            }
        }

        /// <summary>Starts a thread that calls <see cref="Tick"/> every <paramref name="tickMs"/> milliseconds.</summary>
        public void Start(int tickMs)
        {
            if (_running)
            {
                return;
            }

            _tickMs = tickMs < 1 ? 1 : tickMs;
            _running = true;
            _thread = new Thread(Run);
            _thread.Start();
        }

        /// <summary>Stops the thread started by <see cref="Start"/> and waits for it.</summary>
        public void Stop()
        {
            if (!_running)
            {
                return;
            }

            _running = false;
            _wake.Set();
            _thread.Join();
            _thread = null;
        }

        private void Run()
        {
            while (_running)
            {
                try
                {
                    Tick();
                }
                catch (Exception e)
                {
                    _log.Write(LogLevel.Error, Source, "poll failed: " + e.Message);
                }

                _clock.Wait(_wake, _tickMs);
            }
        }

        private SensorState Attach(SensorDefinition sensor, ISensorPins pins)
        {
            SensorState state = new SensorState();
            PropertyDefinition property = _model.FindProperty(sensor.Property);
            switch (sensor.Kind)
            {
                case SensorKind.DigitalInput:
                    state.Input = pins.OpenInput(sensor.Pin, sensor.Pull);
                    if (property == null)
                    {
                        _model.AddProperty(PropertyDefinition.Bool(sensor.Property, PropertyAccess.ReadOnly));
                    }
                    else if (property.Type != PropertyType.Bool)
                    {
                        throw new ArgumentException("property " + sensor.Property + " must be bool for a digital input");
                    }

                    if (sensor.EventId != null && _model.FindEvent(sensor.EventId) == null)
                    {
                        _model.AddEvent(new EventDefinition(sensor.EventId).AddOutput(PropertyDefinition.Bool(sensor.Property, PropertyAccess.ReadOnly)));
                    }

                    break;

                case SensorKind.DigitalOutput:
                    state.Output = pins.OpenOutput(sensor.Pin, sensor.Initial);
                    if (property == null)
                    {
                        property = _model.AddProperty(PropertyDefinition.Bool(sensor.Property, PropertyAccess.ReadWrite));
                    }
                    else if (property.Type != PropertyType.Bool || property.Access != PropertyAccess.ReadWrite)
                    {
                        throw new ArgumentException("property " + sensor.Property + " must be a read-write bool for a digital output");
                    }

                    IDigitalOutput output = state.Output;
                    property.Setter = (p, value) =>
                    {
                        bool high = (bool)value;
                        output.Write(high);
                        return output.Read() == high ? null : "pin did not take the level";
                    };
                    _model.SetValue(sensor.Property, sensor.Initial);
                    break;

                case SensorKind.Adc:
                    state.Analog = pins.OpenAnalog(sensor.Channel);
                    if (property == null)
                    {
                        _model.AddProperty(PropertyDefinition.Double(sensor.Property, sensor.Min, sensor.Max, sensor.Decimals, PropertyAccess.ReadOnly));
                    }
                    else if (property.Type != PropertyType.Double && property.Type != PropertyType.Float)
                    {
                        throw new ArgumentException("property " + sensor.Property + " must be float or double for an ADC channel");
                    }

                    break;
            }

            return state;
        }

        private void Poll(SensorDefinition sensor, SensorState state, long now)
        {
            switch (sensor.Kind)
            {
                case SensorKind.DigitalInput:
                    PollInput(sensor, state, now);
                    break;
                case SensorKind.DigitalOutput:
                    if (!state.Posted)
                    {
                        state.Posted = true;
                        Report(sensor, state.Output.Read());
                    }

                    break;
                case SensorKind.Adc:
                    PollAnalog(sensor, state, now);
                    break;
            }
        }

        private void PollInput(SensorDefinition sensor, SensorState state, long now)
        {
            bool level = state.Input.Read() != sensor.Invert;
            if (!state.Posted)
            {
                state.Posted = true;
                state.Level = level;
                Report(sensor, level);
                return;
            }

            if (level == state.Level)
            {
                state.HasCandidate = false;
                return;
            }

            if (!state.HasCandidate || state.Candidate != level)
            {
                state.HasCandidate = true;
                state.Candidate = level;
                state.CandidateSinceMs = now;
            }

            if (now - state.CandidateSinceMs < sensor.DebounceMs)
            {
                return;
            }

            state.HasCandidate = false;
            state.Level = level;
            Report(sensor, level);
            if (sensor.EventId != null)
            {
                Hashtable outputs = new Hashtable();
                outputs[sensor.Property] = level;
                string problem = _reporter.PostEvent(sensor.EventId, outputs);
                if (problem != null)
                {
                    _log.Write(LogLevel.Warning, Source, problem);
                }
            }
        }

        private void PollAnalog(SensorDefinition sensor, SensorState state, long now)
        {
            if (state.Posted && now < state.NextSampleMs)
            {
                return;
            }

            state.NextSampleMs = now + sensor.PeriodMs;
            int raw = state.Analog.ReadRaw();
            double value = Round(raw * sensor.Scale + sensor.Offset, sensor.Decimals);
            if (state.Posted)
            {
                double moved = Math.Abs(value - state.LastValue);
                if (moved == 0 || moved < sensor.Deadband)
                {
                    return;
                }
            }

            state.Posted = true;
            state.LastValue = value;
            Report(sensor, value);
        }

        private void Report(SensorDefinition sensor, object value)
        {
            string problem = _reporter.ReportProperty(sensor.Property, value);
            if (problem != null)
            {
                _log.Write(LogLevel.Warning, Source, problem);
            }
        }

        private static double Round(double value, int decimals)
        {
            // Math.Round(double, int) does not exist on nanoFramework.
            double scale = 1;
            for (int i = 0; i < decimals; i++)
            {
                scale *= 10;
            }

            double scaled = value * scale;
            double rounded = scaled < 0 ? -Math.Floor(-scaled + 0.5) : Math.Floor(scaled + 0.5);
            return rounded / scale;
        }

        private sealed class SensorState
        {
            public IDigitalInput Input;
            public IDigitalOutput Output;
            public IAnalogInput Analog;
            public bool Posted;
            public bool Level;
            public bool HasCandidate;
            public bool Candidate;
            public long CandidateSinceMs;
            public long NextSampleMs;
            public double LastValue;
        }
    }
}
