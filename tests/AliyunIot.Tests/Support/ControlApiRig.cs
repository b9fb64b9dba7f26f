using AliyunIot.Cloud.Control;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;

namespace AliyunIot.Tests.Support
{
    /// <summary>
    /// A local cloud with its control API and an HTTP client that carries the API's token (the token is registered
    /// as a secret of the log, so an assertion can check it never shows): what the control-API tests drive.
    /// </summary>
    public sealed class ControlApiRig : IDisposable
    {
        private readonly TempFolder _temp;

        public ControlApiRig(string name)
        {
            _temp = new TempFolder(name);
            Cloud = CloudHosting.Start(_temp.Sub("state"), Log);
            Control = new ControlServer(Cloud, Log);
            Log.Secret(Control.Token);
            Http = new HttpClient { BaseAddress = new Uri(Control.Url) };
            Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Control.Token);
        }

        public CapturingLog Log { get; } = new CapturingLog();

        public LocalCloud Cloud { get; }

        public ControlServer Control { get; }

        public HttpClient Http { get; }

        public void Dispose()
        {
            Http.Dispose();
            Control.Dispose();
            Cloud.Dispose();
            Log.Dispose();
            _temp.Dispose();
        }
    }
}
