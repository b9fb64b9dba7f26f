using PrivateFiles = AliyunIot.Cloud.Registry.PrivateFiles;
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
    /// Routes: POST /product, /product/registration, /register, /register/self, /set, /call, /rrpc, /ota (image bytes
    /// or the id of an uploaded firmware), /firmware (upload to the library), /shadow (desired state), /config,
    /// /config/push, /log, /shutdown; GET /state, /devices, /traffic, /shadow, /tags, /logs, /firmware (the library),
    /// /model (a product's thing model as registered, TSL JSON: the console builds its set and service forms from it).
    /// Every route but the (static, data-free) page needs <c>Authorization: Bearer {token}</c>, the token being
    /// kept in <c>{state}/control.token</c> (0600, new for every start, deleted on stop): another local user cannot
    /// drive the cloud. The page gets the token from its URL's fragment (<c>cloud console</c> prints that URL; a
    /// fragment never reaches a server or its logs) and keeps it in the tab's sessionStorage.
    /// A POST must be <c>application/json</c> and come from no other web origin than this one: a page from
    /// elsewhere open in the same browser cannot drive the devices (a cross-site form cannot set that type, nor
    /// the Authorization header, without a CORS preflight, which this server never grants). Bodies are limited
    /// to <see cref="MaxBodyBytes"/>; an OTA image comes as bytes (base64), never as a path on this machine.
    /// </summary>
    public sealed class ControlServer : IDisposable
    {
        private readonly LocalCloud _cloud;
        private readonly ILog _log;
        private readonly HttpListener _listener;
        private readonly Thread _thread;
        private readonly ManualResetEventSlim _shutdown = new ManualResetEventSlim(false);
        private readonly byte[] _token;
        private readonly string _tokenPath;
        private readonly FirmwareLibrary _firmware;

        /// <summary>Largest request body accepted (an OTA image travels base64-encoded inside it).</summary>
        public const int MaxBodyBytes = 16 * 1024 * 1024;

        /// <summary>Name of the token file in the state folder.</summary>
        public const string TokenFile = "control.token";

        /// <summary>Starts listening on a free loopback port and writes a new token to <c>{state}/control.token</c>.</summary>
        public ControlServer(LocalCloud cloud, ILog log)
        {
            _cloud = cloud;
            _log = log;
            Token = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
            _token = Encoding.ASCII.GetBytes(Token);
            _tokenPath = Path.Combine(cloud.StateDirectory, TokenFile);
            _firmware = new FirmwareLibrary(cloud.StateDirectory);
            PrivateFiles.WriteAllText(cloud.StateDirectory, _tokenPath, Token);
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

        /// <summary>The firmware library behind <c>POST/GET /firmware</c> and <c>POST /ota</c> with a firmwareId.</summary>
        public FirmwareLibrary Firmware => _firmware;

        /// <summary>Base URL of the API.</summary>
        public string Url { get; }

        /// <summary>The access token (secret): required on every route but the page.</summary>
        public string Token { get; }

        /// <summary>The console's address with the token in its fragment (secret: print it only to its user).</summary>
        public string ConsoleUrl => Url + "#token=" + Token;

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
            try
            {
                File.Delete(_tokenPath);
            }
            catch (IOException)
            {
            }
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
                Reply(context, refusal.StartsWith("the control token", StringComparison.Ordinal) ? 401 : 403, new JsonObject { ["error"] = refusal });
                return;
            }

            int status = 200;
            JsonNode body;
            try
            {
                JsonObject request = new JsonObject();
                if (context.Request.HasEntityBody)
                {
                    byte[] bytes = ReadBody(context.Request);
                    if (bytes == null)
                    {
                        Reply(context, 413, new JsonObject { ["error"] = $"a request body is at most {MaxBodyBytes / (1024 * 1024)} MiB" });
                        return;
                    }

                    request = JsonNode.Parse(bytes) as JsonObject ?? new JsonObject();
                }

                foreach (string key in context.Request.QueryString.AllKeys.Where(k => k != null))
                {
                    request[key] = context.Request.QueryString[key];
                }

                body = Route(context.Request.HttpMethod, context.Request.Url.AbsolutePath, request);
            }
            catch (FirmwareNotFoundException e)
            {
                status = 404;
                body = new JsonObject { ["error"] = e.Message, ["code"] = FirmwareNotFoundException.Code };
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

        /// <summary>The body, or null when it is longer than <see cref="MaxBodyBytes"/>.</summary>
        private static byte[] ReadBody(HttpListenerRequest request)
        {
            if (request.ContentLength64 > MaxBodyBytes)
            {
                return null;
            }

            using var buffer = new MemoryStream();
            byte[] chunk = new byte[81920];
            int read;
            while ((read = request.InputStream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }

        /// <summary>Why a request may not run a command (null: it may).</summary>
        private string RefusalOf(HttpListenerRequest request)
        {
            string origin = request.Headers["Origin"];
            if (origin != null && !string.Equals(origin + "/", Url, StringComparison.OrdinalIgnoreCase))
            {
                return "requests from another web origin (" + origin + ") are refused";
            }

            string authorization = request.Headers["Authorization"] ?? string.Empty;
            byte[] presented = Encoding.ASCII.GetBytes(authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization.Substring(7) : string.Empty);
            if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(presented, _token))
            {
                return "the control token is missing or wrong (it is in " + TokenFile + " in the cloud's folder; `cloud console` prints the console's address with it)";
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
                        if (request.ContainsKey("configDirectory"))
                        {
                            throw new ArgumentException("configDirectory is not accepted: configs are written under the cloud's folder only (the CLI's --out copies one elsewhere)");
                        }

                        if (request["sections"] is JsonNode sections && sections is not JsonObject)
                        {
                            throw new ArgumentException("sections must be a JSON object");
                        }

                        RegisteredDevice device = _cloud.Register(pk, Required(dn, "deviceName"), request["sections"]?.DeepClone() as JsonObject);
                        return new JsonObject { ["productKey"] = device.ProductKey, ["deviceName"] = device.DeviceName, ["config"] = device.ConfigPath };
                    }

                case "POST /product/registration":
                    {
                        RegisteredProduct product = _cloud.AllowRegistrationWithoutPreRegistration(Required((string)request["productKey"], "productKey"), (bool?)request["withoutPreRegistration"] ?? false);
                        return new JsonObject { ["productKey"] = product.ProductKey, ["withoutPreRegistration"] = product.RegistrationWithoutPreRegistration };
                    }

                case "POST /register/self":
                    return new JsonObject { ["config"] = _cloud.WriteRegistrationConfig(pk, Required(dn, "deviceName"), Required((string)request["registration"], "registration")) };

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
                    return OtaRoutes.Push(_cloud, _firmware, request, pk, Required(dn, "deviceName"));
                case "POST /firmware":
                    return OtaRoutes.Upload(_firmware, request);
                case "GET /firmware":
                    return OtaRoutes.List(_firmware);
                case "POST /config":
                    {
                        byte[] content = request["contentBase64"] is JsonNode b64
                            ? Convert.FromBase64String((string)b64)
                            : Encoding.UTF8.GetBytes(Required((string)request["content"], "content"));
                        string configId = _cloud.RemoteConfig.Set(pk, content);
                        return new JsonObject { ["productKey"] = pk, ["configId"] = configId, ["configSize"] = content.Length };
                    }

                case "POST /config/push":
                    return _cloud.PushConfig(pk, Required(dn, "deviceName"), (bool?)request["corrupt"] ?? false).ToJson();
                case "POST /log":
                    {
                        int mode = (int?)request["mode"] ?? throw new ArgumentException("mode is required (0 or 1)");
                        string pushed = _cloud.DeviceLogs.SetSwitch(pk, Required(dn, "deviceName"), mode, (string)request["level"]);
                        return new JsonObject { ["pushed"] = JsonNode.Parse(pushed) };
                    }

                case "GET /logs":
                    {
                        var (mode, level) = _cloud.DeviceLogs.Switch(pk, Required(dn, "deviceName"));
                        return new JsonObject
                        {
                            ["mode"] = mode,
                            ["level"] = level,
                            ["lines"] = new JsonArray(_cloud.DeviceLogs.Lines(pk, dn).Select(l => (JsonNode)l).ToArray()),
                        };
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

                    return DeviceJson(pk, dn);
                case "GET /shadow":
                    Registered(pk, Required(dn, "deviceName"));
                    return _cloud.Shadows.ToJson(pk, dn);
                case "POST /shadow":
                    {
                        // UpdateDeviceShadow: desired attributes and an optional version (newer than the shadow's).
                        if (request["desired"] is not JsonObject desired)
                        {
                            throw new ArgumentException("desired must be a JSON object of attributes");
                        }

                        var (code, version) = _cloud.Shadows.SetDesired(pk, Required(dn, "deviceName"), (JsonObject)desired.DeepClone(), (long?)request["version"]);
                        return new JsonObject
                        {
                            ["code"] = code,
                            ["version"] = version,
                            ["message"] = code == 200 ? "success" : AliyunIot.Shadow.ShadowErrorCodes.Describe(code),
                        };
                    }

                case "GET /tags":
                    Registered(pk, Required(dn, "deviceName"));
                    return _cloud.Tags.ToJson(pk, dn);
                case "GET /traffic":
                    {
                        long after = long.TryParse((string)request["after"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n) ? n : 0;
                        var entries = _cloud.Traffic.Since(after, (string)request["deviceName"], (string)request["topic"]);
                        return new JsonObject
                        {
                            ["entries"] = new JsonArray(entries.Select(e => (JsonNode)e.ToJson()).ToArray()),
                            ["last"] = entries.Count > 0 ? entries[entries.Count - 1].Sequence : after,
                        };
                    }

                case "GET /model":
                    {
                        ThingModelDefinition model = _cloud.Registry.ModelOf(pk) ?? throw new ArgumentException($"product {pk} is not registered");
                        return new JsonObject { ["productKey"] = pk, ["tsl"] = JsonNode.Parse(model.Json) };
                    }

                case "GET /devices":
                    return new JsonArray(_cloud.Registry.Devices.Select(d => (JsonNode)DeviceJson(d.ProductKey, d.DeviceName)).ToArray());
                case "POST /shutdown":
                    _shutdown.Set();
                    return new JsonObject { ["stopping"] = true };
                default:
                    throw new ArgumentException($"unknown command {method} {path}");
            }
        }

        // A device's state with its shadow and tags (shown by `cloud state` and the console).
        private JsonObject DeviceJson(string pk, string dn)
        {
            JsonObject json = _cloud.State(pk, dn).ToJson();
            json["shadow"] = _cloud.Shadows.ToJson(pk, dn);
            json["tags"] = _cloud.Tags.ToJson(pk, dn);
            return json;
        }

        private void Registered(string pk, string dn)
        {
            if (_cloud.Registry.Find(pk, dn) == null)
            {
                throw new ArgumentException($"device {pk}/{dn} is not registered");
            }
        }

        private static JsonObject Params(JsonObject request) => request["params"]?.DeepClone() as JsonObject ?? new JsonObject();

        /// <summary>The value, or an <see cref="ArgumentException"/> naming the missing field.</summary>
        internal static string Required(string value, string name) =>
            string.IsNullOrEmpty(value) ? throw new ArgumentException(name + " is required") : value;
    }
}
