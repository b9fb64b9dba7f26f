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

        /// <summary>True for a verified, activated image.</summary>
        public bool Succeeded
        {
            get { return Step == 100; }
        }
    }
}
