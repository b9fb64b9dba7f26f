namespace AliyunIot.Tests.Support
{
    /// <summary>A fresh folder under the temp directory, deleted on dispose.</summary>
    internal sealed class TempFolder : IDisposable
    {
        public TempFolder(string prefix = "aliyuniot-test")
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string Sub(string name)
        {
            string path = System.IO.Path.Combine(Path, name);
            Directory.CreateDirectory(path);
            return path;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, true);
            }
            catch (IOException)
            {
            }
        }
    }
}
