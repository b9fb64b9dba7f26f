using System.Diagnostics;

namespace AliyunIot.Simulator.Tour
{
    /// <summary>
    /// The tour's readable timeline: one line per step with the time since the start, a mark (✓ / ✗) and
    /// what happened. Remembers the first failing step so the tour can exit naming it.
    /// </summary>
    public sealed class Timeline
    {
        private readonly TextWriter _out;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly object _gate = new object();

        /// <summary>Creates a timeline writing to <paramref name="output"/>.</summary>
        public Timeline(TextWriter output)
        {
            _out = output;
        }

        /// <summary>The first step that failed, or null.</summary>
        public string FailedStep { get; private set; }

        /// <summary>Why the first failing step failed.</summary>
        public string FailureReason { get; private set; }

        /// <summary>Steps that succeeded.</summary>
        public int Passed { get; private set; }

        /// <summary>Elapsed time since the tour started.</summary>
        public TimeSpan Elapsed => _clock.Elapsed;

        /// <summary>
        /// Runs one step. The action returns the detail to print; it fails by throwing (the message is printed).
        /// After a failure further steps are skipped.
        /// </summary>
        /// <returns>true when the step ran and succeeded.</returns>
        public bool Step(string name, Func<string> action) => Run(name, action, always: false);

        /// <summary>A step that runs even after a failure (clean-up checks); a failure here is recorded only if none came before.</summary>
        public bool Always(string name, Func<string> action) => Run(name, action, always: true);

        private bool Run(string name, Func<string> action, bool always)
        {
            if (FailedStep != null && !always)
            {
                Write("·", name, "skipped");
                return false;
            }

            try
            {
                string detail = action();
                Passed++;
                Write("✓", name, detail);
                return true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (FailedStep == null)
                {
                    FailedStep = name;
                    FailureReason = e.Message;
                }

                Write("✗", name, e.Message);
                return false;
            }
        }

        /// <summary>Prints a note (no mark) on the timeline.</summary>
        public void Note(string text) => Write(" ", string.Empty, text);

        /// <summary>Overwrites the current line (progress bars); <paramref name="final"/> ends the line.</summary>
        public void Progress(string text, bool final)
        {
            lock (_gate)
            {
                _out.Write($"\r{Stamp()}   {text}");
                if (final)
                {
                    _out.WriteLine();
                }

                _out.Flush();
            }
        }

        private void Write(string mark, string name, string detail)
        {
            lock (_gate)
            {
                _out.WriteLine(string.IsNullOrEmpty(name) ? $"{Stamp()} {mark} {detail}" : $"{Stamp()} {mark} {name,-22} {detail}");
                _out.Flush();
            }
        }

        private string Stamp() => $"[{_clock.Elapsed.TotalSeconds,7:0.000}s]";
    }
}
