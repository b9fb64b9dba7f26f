using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Cloud.Tsl;
using AliyunIot.Ports;
using AliyunIot.TestBroker;

namespace AliyunIot.Cloud.Control
{
    /// <summary>
    /// The control channel of <c>cloud serve</c>: a tiny JSON-over-HTTP API on 127.0.0.1 (loopback only, a
    /// random free port written to <c>{state}/cloud.json</c>) that the CLI commands talk to, and a one-page web
    /// console at <c>GET /</c> that uses the same routes from a browser.
    /// Routes: POST /product, /register, /set, /call, /rrpc, /ota, /shutdown; GET /state, /devices.
    /// A POST must be <c>application/json</c> and come from no other web origin than this one: a page from
    /// elsewhere open in the same browser cannot drive the devices (a cross-site form cannot set that type
    /// without a CORS preflight, which this server never grants).
    /// </summary>
    public sealed class ControlServer : IDisposable
    {
        private readonly LocalCloud _cloud;
        private readonly ILog _log;
        private readonly HttpListener _listener;
        private readonly Thread _thread;
        private readonly ManualResetEventSlim _shutdown = new ManualResetEventSlim(false);

        /// <summary>Starts listening on a free loopback port.</summary>
        public ControlServer(LocalCloud cloud, ILog log)
        {
            _cloud = cloud;
            _log = log;
            for (int attempt = 0; ; attempt++)
            {
                int port = LoopbackPort.Free();
                var listener = new HttpListener();
                listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                try
                {
                    listener.Start();
                    _listener = listener;
                    Url = $"http://127.0.0.1:{port}/";
                    break;
                }
                catch (HttpListenerException) when (attempt < 5)
                {
                    listener.Close();
                }
            }

            _thread = new Thread(Serve) { IsBackground = true, Name = "cloud-control" };
            _thread.Start();
        }

        /// <summary>Base URL of the API.</summary>
        public string Url { get; }

        /// <summary>Set when a client asked the cloud to stop.</summary>
        public WaitHandle ShutdownRequested => _shutdown.WaitHandle;

        /// <inheritdoc />
        public void Dispose()
        {
            try
            {
                _listener.Stop();
                _listener.Close();
            }
            catch (ObjectDisposedException)
            {
            }

            _thread.Join(2000);
        }

        private void Serve()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = _listener.GetContext();
                }
                catch (Exception) when (!_listener.IsListening)
                {
                    return;
                }
                catch (HttpListenerException)
                {
                    return;
                }

                // Commands may wait seconds for a device (RRPC): each request gets its own worker.
                ThreadPool.QueueUserWorkItem(_ => Answer(context));
            }
        }

        private void Answer(HttpListenerContext context)
        {
            if (context.Request.HttpMethod == "GET" && (context.Request.Url.AbsolutePath == "/" || context.Request.Url.AbsolutePath == "/console"))
            {
                AnswerConsole(context);
                return;
            }

            string refusal = RefusalOf(context.Request);
            if (refusal != null)
            {
                Reply(context, 403, new JsonObject { ["error"] = refusal });
                return;
            }

            int status = 200;
            JsonNode body;
            try
            {
                JsonObject request = new JsonObject();
                if (context.Request.HasEntityBody)
                {
                    using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                    request = JsonNode.Parse(reader.ReadToEnd()) as JsonObject ?? new JsonObject();
                }

                foreach (string key in context.Request.QueryString.AllKeys.Where(k => k != null))
                {
                    request[key] = context.Request.QueryString[key];
                }

                body = Route(context.Request.HttpMethod, context.Request.Url.AbsolutePath, request);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or System.Text.Json.JsonException or KeyNotFoundException or IOException)
            {
                status = 400;
                body = new JsonObject { ["error"] = e.Message };
            }
            catch (Exception e)
            {
                status = 500;
                body = new JsonObject { ["error"] = e.GetType().Name + ": " + e.Message };
                _log.Write(LogLevel.Error, "control", e.ToString());
            }

            Reply(context, status, body);
        }

        /// <summary>Why a request may not run a command (null: it may).</summary>
        private string RefusalOf(HttpListenerRequest request)
        {
            string origin = request.Headers["Origin"];
            if (origin != null && !string.Equals(origin + "/", Url, StringComparison.OrdinalIgnoreCase))
            {
                return "requests from another web origin (" + origin + ") are refused";
            }

            if (request.HttpMethod == "POST" && !(request.ContentType ?? string.Empty).StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                return "a command must be sent as application/json";
            }

            return null;
        }

        private static void AnswerConsole(HttpListenerContext context)
        {
            try
            {
                using Stream page = typeof(ControlServer).Assembly.GetManifestResourceStream("console.html");
                context.Response.StatusCode = 200;
                context.Response.ContentType = "text/html; charset=utf-8";
                context.Response.Headers["Content-Security-Policy"] = "default-src 'self'; img-src data:; script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors 'none'";
                context.Response.ContentLength64 = page.Length;
                page.CopyTo(context.Response.OutputStream);
                context.Response.Close();
            }
            catch (Exception)
            {
                // The browser went away.
            }
        }

        private static void Reply(HttpListenerContext context, int status, JsonNode body)
        {
            try
            {
                byte[] bytes = Encoding.UTF8.GetBytes((body ?? new JsonObject()).ToJsonString());
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json";
                context.Response.ContentLength64 = bytes.Length;
                context.Response.OutputStream.Write(bytes);
                context.Response.Close();
            }
            catch (Exception)
            {
                // The client went away; nothing to tell it.
            }
        }

        private JsonNode Route(string method, string path, JsonObject request)
        {
            string pk = (string)request["productKey"] ?? DeviceRegistry.DemoProductKey;
            string dn = (string)request["deviceName"];
            switch (method + " " + path)
            {
                case "POST /register":
                    {
                        RegisteredDevice device = _cloud.Register(pk, Required(dn, "deviceName"), (string)request["configDirectory"], request["sections"] as JsonObject);
                        return new JsonObject { ["productKey"] = device.ProductKey, ["deviceName"] = device.DeviceName, ["config"] = device.ConfigPath };
                    }

                case "POST /product":
                    {
                        ThingModelDefinition model = ThingModelDefinition.Parse(Required((string)request["tsl"], "tsl"));
                        RegisteredProduct product = _cloud.AddProduct(Required((string)request["productKey"], "productKey"), model);
                        return new JsonObject { ["productKey"] = product.ProductKey, ["properties"] = model.Properties.Count };
                    }

                case "POST /set":
                    return _cloud.SetProperties(pk, Required(dn, "deviceName"), Params(request), (bool?)request["validate"] ?? true).ToJson();
                case "POST /call":
                    return _cloud.CallService(pk, Required(dn, "deviceName"), Required((string)request["service"], "service"), Params(request), (bool?)request["validate"] ?? true).ToJson();
                case "POST /rrpc":
                    {
                        RrpcForm form = string.Equals((string)request["form"], "ext", StringComparison.OrdinalIgnoreCase) ? RrpcForm.Ext : RrpcForm.System;
                        return _cloud.Rrpc(pk, Required(dn, "deviceName"), Required((string)request["service"], "service"), Params(request), form, (bool?)request["validate"] ?? true).ToJson();
                    }

                case "POST /ota":
                    {
                        byte[] image = File.ReadAllBytes(Required((string)request["image"], "image"));
                        OtaJob job = _cloud.PushOta(pk, Required(dn, "deviceName"), image, Required((string)request["version"], "version"),
                            (string)request["signMethod"] ?? "SHA256", (bool?)request["corrupt"] ?? false, (string)request["module"]);
                        return job.ToPushData();
                    }

                case "GET /state":
                    if (dn == null)
                    {
                        goto case "GET /devices";
                    }

                    if (_cloud.Registry.Find(pk, dn) == null)
                    {
                        throw new ArgumentException($"device {pk}/{dn} is not registered");
                    }

                    return _cloud.State(pk, dn).ToJson();
                case "GET /devices":
                    return new JsonArray(_cloud.Registry.Devices.Select(d => (JsonNode)_cloud.State(d.ProductKey, d.DeviceName).ToJson()).ToArray());
                case "POST /shutdown":
                    _shutdown.Set();
                    return new JsonObject { ["stopping"] = true };
                default:
                    throw new ArgumentException($"unknown command {method} {path}");
            }
        }

        private static JsonObject Params(JsonObject request) => request["params"]?.DeepClone() as JsonObject ?? new JsonObject();

        private static string Required(string value, string name) =>
            string.IsNullOrEmpty(value) ? throw new ArgumentException(name + " is required") : value;
    }
}
