namespace AliyunIot.Simulator.Tour
{
    /// <summary>Renders a text progress bar like <c>[██████░░░░]  60 %</c>.</summary>
    public static class ProgressBar
    {
        /// <summary>The bar for <paramref name="percent"/> (clamped to 0..100) with <paramref name="width"/> cells.</summary>
        public static string Render(int percent, int width = 30)
        {
            int clamped = Math.Clamp(percent, 0, 100);
            int filled = clamped * width / 100;
            return "[" + new string('█', filled) + new string('░', width - filled) + $"] {clamped,3} %";
        }
    }
}
