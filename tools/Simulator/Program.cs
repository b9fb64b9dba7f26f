namespace AliyunIot.Simulator
{
    /// <summary>The <c>simulator</c> command line.</summary>
    public static class Program
    {
        /// <summary>Entry point.</summary>
        public static int Main(string[] args)
        {
            Console.Error.WriteLine("usage: simulator run|fleet|tour ...");
            return 2;
        }
    }
}
