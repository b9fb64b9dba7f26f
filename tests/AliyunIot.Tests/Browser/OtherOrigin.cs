using System.Net;
using System.Text;
using AliyunIot.TestBroker;

namespace AliyunIot.Tests.Browser;

/// <summary>A page from another web origin (another loopback port), as a site open in the same browser would be.</summary>
internal sealed class OtherOrigin : IDisposable
{
    private readonly HttpListener _listener = new HttpListener();

    public OtherOrigin()
    {
        int port = LoopbackPort.Free();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = ServeAsync();
    }

    public string Url { get; }

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        byte[] page = Encoding.UTF8.GetBytes("<!DOCTYPE html><title>another site</title><p>another site</p>");
        try
        {
            for (; ; )
            {
                HttpListenerContext context = await _listener.GetContextAsync();
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.OutputStream.WriteAsync(page);
                context.Response.Close();
            }
        }
        catch (Exception) when (!_listener.IsListening)
        {
            // Closed at the end of the test.
        }
    }
}
