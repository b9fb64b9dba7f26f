namespace AliyunIot.Ota
{
    /// <summary>The final outcome of one OTA job attempt as reported to the platform.</summary>
    public sealed class OtaOutcome
    {
        /// <summary>Creates an outcome.</summary>
        public OtaOutcome(int step, string desc)
        {
            Step = step;
            Desc = desc;
        }

        /// <summary>100 when the image was verified and activated (a restart follows), else -1..-4.</summary>
        public int Step { get; private set; }

        /// <summary>Text for the console.</summary>
        public string Desc { get; private set; }

        /// <summary>
        /// True when what was downloaded must be thrown away (a corrupt, forged or unfitting image), so a repeated
        /// push starts over instead of resuming it. Set for every -3; a refusal from the image header sets it too.
        /// </summary>
        public bool DiscardsDownload
        {
            get { return _discard || Step == OtaJobParser.StepVerifyFailed; }
        }

        private bool _discard;

        /// <summary>An outcome whose download must be discarded (see <see cref="DiscardsDownload"/>).</summary>
        public static OtaOutcome Discarding(int step, string desc)
        {
            OtaOutcome outcome = new OtaOutcome(step, desc);
            outcome._discard = true;
            return outcome;
        }

        /// <summary>True for a verified, activated image.</summary>
        public bool Succeeded
        {
            get { return Step == 100; }
        }
    }
}
