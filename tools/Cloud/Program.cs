using System.Text.Json;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Control;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.HostPorts.Platform;
using AliyunIot.Ports;

namespace AliyunIot.Cloud
{
    /// <summary>The <c>cloud</c> command line: <c>serve</c> runs the cloud; the other commands talk to it.</summary>
    public static class Program
    {
        private const string Usage = @"usage: cloud <command> [--dir <state>] ...
  serve [--tls-port <p>] [--port <p>]    run broker (TLS, platform auth, ACL) + HTTPS image server + responder;
                                         ports and CA are kept in --dir, so configured devices keep working
  product add --product <pk> --tsl <file>                  add a product with its thing model (TSL JSON)
  product registration --product <pk> --without-pre-registration on|off
                                         the product's dynamic registration without pre-registration (regnwl)
  register --device <dn> --self mqtt|mqtt-nwl [--product <pk>] [--out <dir>]
                                         write a device.json holding the ProductSecret instead of a triple: the
                                         device registers itself (mqtt: pre-registered device; mqtt-nwl: regnwl)
  register --device <dn> [--product <pk>] [--out <dir>] [--sensors <file>]
                                         create a triple, write its device.json (with that sensors array)
                                         under <state>/devices/<pk>/<dn>; --out also copies it to <dir>
  set      --device <dn> --params '<json>' [--no-validate]  thing.service.property.set, waits for set_reply
  call     --device <dn> --service <id> [--params '<json>'] async service, waits for {id}_reply
  rrpc     --device <dn> --service <id> [--params '<json>'] [--form sys|ext]   synchronous call (RRPC)
  ota push --device <dn> --image <file> --version <v> [--sign-method SHA256|MD5] [--corrupt]
  ota push --device <dn> --firmware <id> [--version <v>] [--sign-method SHA256|MD5]
                                         push an image uploaded to the firmware library (version: the upload's)
  firmware upload --image <file> --version <v>   keep an image in the cloud's firmware library (prints its id)
  firmware list                          the uploaded images: id, version, size, SHA-256, upload time
  config set --file <json> [--product <pk>]                 the product's remote config file (JSON, at most 64 KB)
  config push --device <dn> [--corrupt]  thing.config.push, waits for push_reply (the device applies the file first)
  log      --device <dn> --mode 0|1 [--level DEBUG|INFO|WARN|ERROR]   the device's log switch (thing.config.log.push)
  logs     --device <dn>                 the log lines the device posted (thing.log.post)
  state    [--device <dn>]               latest properties, events, version, OTA job, shadow, tags
  shadow   --device <dn> [--desired '<json>' [--version <n>]]   show the device shadow, or set desired
                                         attributes (pushed to the device; --version must be newer)
  tags     --device <dn>                 the tags the device reported (thing.deviceinfo.update)
  watch    [--device <dn>] [--topic <text>]   follow the traffic: messages both ways (secrets masked), connects,
                                         disconnects, refused logins, ACL denials; until Ctrl+C
  console                                print the web console's address (it carries the access token)
  stop                                   stop a running serve
--dir defaults to ./.cloud; --product defaults to the demo product a1SimLamp01.";

        /// <summary>Entry point; returns 0 on success, 1 on a failed command, 2 on bad usage.</summary>
        public static int Main(string[] args)
        {
            var line = new CommandLine(args);
            if (line.Positional.Count == 0 || line.Flag("help"))
            {
                Console.Error.WriteLine(Usage);
                return line.Flag("help") ? 0 : 2;
            }

            string dir = Path.GetFullPath(line.Get("dir", ".cloud"));
            try
            {
                switch (line.Positional[0])
                {
                    case "serve":
                        return Serve(dir, line);
                    case "product" when line.Positional.Count > 1 && line.Positional[1] == "add":
                        return Print(Send(dir, "POST", "/product", new JsonObject
                        {
                            ["productKey"] = line.Require("product"),
                            ["tsl"] = File.ReadAllText(line.Require("tsl")),
                        }));
                    case "product" when line.Positional.Count > 1 && line.Positional[1] == "registration":
                        return Print(Send(dir, "POST", "/product/registration", new JsonObject
                        {
                            ["productKey"] = line.Require("product"),
                            ["withoutPreRegistration"] = line.Require("without-pre-registration") switch
                            {
                                "on" => true,
                                "off" => false,
                                _ => throw new ArgumentException("--without-pre-registration must be on or off"),
                            },
                        }));
                    case "register":
                        return Register(dir, line);
                    case "set":
                        Waiting($"waiting up to 10 s for {line.Get("device")}'s set_reply");
                        return PrintResult(Send(dir, "POST", "/set", Target(line, new JsonObject { ["params"] = Json(line.Require("params")), ["validate"] = !line.Flag("no-validate") })));
                    case "call":
                        Waiting($"waiting up to 10 s for {line.Get("device")}'s {line.Get("service")}_reply");
                        return PrintResult(Send(dir, "POST", "/call", Target(line, Service(line))));
                    case "rrpc":
                        JsonObject rrpc = Service(line);
                        rrpc["form"] = line.Get("form", "sys");
                        Waiting($"waiting up to 8 s for {line.Get("device")}'s RRPC answer (at once if it is offline)");
                        return PrintResult(Send(dir, "POST", "/rrpc", Target(line, rrpc)));
                    case "ota" when line.Positional.Count > 1 && line.Positional[1] == "push" && line.Get("firmware") != null:
                        return Print(Send(dir, "POST", "/ota", Target(line, new JsonObject
                        {
                            ["firmwareId"] = line.Get("firmware"),
                            ["version"] = line.Get("version"),
                            ["signMethod"] = line.Get("sign-method", "SHA256"),
                            ["corrupt"] = line.Flag("corrupt"),
                            ["module"] = line.Get("module"),
                        })));
                    case "firmware" when line.Positional.Count > 1 && line.Positional[1] == "upload":
                        return Print(Send(dir, "POST", "/firmware", new JsonObject
                        {
                            ["imageBase64"] = Convert.ToBase64String(File.ReadAllBytes(line.Require("image"))),
                            ["version"] = line.Require("version"),
                        }));
                    case "firmware" when line.Positional.Count > 1 && line.Positional[1] == "list":
                        return Print(Send(dir, "GET", "/firmware", new JsonObject()));
                    case "ota" when line.Positional.Count > 1 && line.Positional[1] == "push":
                        return Print(Send(dir, "POST", "/ota", Target(line, new JsonObject
                        {
                            ["imageBase64"] = Convert.ToBase64String(File.ReadAllBytes(line.Require("image"))),
                            ["version"] = line.Require("version"),
                            ["signMethod"] = line.Get("sign-method", "SHA256"),
                            ["corrupt"] = line.Flag("corrupt"),
                            ["module"] = line.Get("module"),
                        })));
                    case "config" when line.Positional.Count > 1 && line.Positional[1] == "set":
                        return Print(Send(dir, "POST", "/config", new JsonObject
                        {
                            ["productKey"] = line.Get("product"),
                            ["contentBase64"] = Convert.ToBase64String(File.ReadAllBytes(line.Require("file"))),
                        }));
                    case "config" when line.Positional.Count > 1 && line.Positional[1] == "push":
                        Waiting($"waiting up to 30 s for {line.Get("device")}'s push_reply");
                        return PrintResult(Send(dir, "POST", "/config/push", Target(line, new JsonObject { ["corrupt"] = line.Flag("corrupt") })));
                    case "log":
                        return Print(Send(dir, "POST", "/log", Target(line, new JsonObject
                        {
                            ["mode"] = int.Parse(line.Require("mode"), System.Globalization.CultureInfo.InvariantCulture),
                            ["level"] = line.Get("level"),
                        })));
                    case "logs":
                        return Print(Send(dir, "GET", "/logs", Target(line, new JsonObject())));
                    case "state":
                        return Print(Send(dir, "GET", "/state", Target(line, new JsonObject(), deviceRequired: false)));
                    case "shadow" when line.Get("desired") != null:
                        {
                            var desired = new JsonObject { ["desired"] = Json(line.Require("desired")) };
                            if (line.Get("version") != null)
                            {
                                desired["version"] = long.Parse(line.Get("version"), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture);
                            }

                            JsonNode answer = Send(dir, "POST", "/shadow", Target(line, desired));
                            Print(answer);
                            return (int?)answer?["code"] == 200 ? 0 : 1;
                        }

                    case "shadow":
                        return Print(Send(dir, "GET", "/shadow", Target(line, new JsonObject())));
                    case "tags":
                        return Print(Send(dir, "GET", "/tags", Target(line, new JsonObject())));
                    case "watch":
                        return Watch(dir, line);
                    case "console":
                        using (var client = new ControlClient(dir))
                        {
                            Console.WriteLine(client.ConsoleUrl);
                        }

                        return 0;
                    case "stop":
                        return Stop(dir);
                    default:
                        Console.Error.WriteLine(Usage);
                        return 2;
                }
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or JsonException or IOException)
            {
                Console.Error.WriteLine("cloud: " + e.Message);
                return 1;
            }
        }

        private static int Watch(string dir, CommandLine line)
        {
            using var client = new ControlClient(dir);
            string device = line.Get("device");
            string topic = line.Get("topic");
            Waiting($"watching the traffic of the cloud serving {dir}{(device != null ? " for " + device : string.Empty)}{(topic != null ? ", topics containing " + topic : string.Empty)} (Ctrl+C to stop)");
            using var stop = new ManualResetEventSlim(false);
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Set();
            };
            long after = 0;
            while (!stop.IsSet)
            {
                string query = "/traffic?after=" + after + (device != null ? "&deviceName=" + Uri.EscapeDataString(device) : string.Empty)
                    + (topic != null ? "&topic=" + Uri.EscapeDataString(topic) : string.Empty);
                JsonNode answer;
                try
                {
                    answer = client.Send("GET", query, null);
                }
                catch (InvalidOperationException e)
                {
                    Console.Error.WriteLine("cloud: " + e.Message);
                    return 1;
                }

                foreach (JsonNode entry in answer["entries"] as JsonArray ?? new JsonArray())
                {
                    Console.WriteLine(AliyunIot.Cloud.Traffic.TrafficEntry.Describe(entry));
                }

                after = (long?)answer["last"] ?? after;
                stop.Wait(500);
            }

            return 0;
        }

        private static void Waiting(string what)
        {
            // stderr: stdout stays the JSON answer, for scripts.
            Console.Error.WriteLine(what + " ...");
        }

        private static int Stop(string dir)
        {
            Print(Send(dir, "POST", "/shutdown", new JsonObject()));
            Waiting($"waiting up to 15 s for the cloud serving {dir} to stop");
            string info = Path.Combine(dir, ControlClient.CloudInfoFile);
            for (int i = 0; i < 150 && File.Exists(info); i++)
            {
                Thread.Sleep(100);
            }

            if (File.Exists(info))
            {
                Console.Error.WriteLine("cloud: it has not stopped after 15 s");
                return 1;
            }

            Console.Error.WriteLine("stopped");
            return 0;
        }

        private static int Register(string dir, CommandLine line)
        {
            JsonNode answer = line.Get("self") is string self
                ? Send(dir, "POST", "/register/self", Target(line, new JsonObject { ["registration"] = self }))
                : Send(dir, "POST", "/register", Target(line, new JsonObject
                {
                    ["sections"] = line.Get("sensors") is string sensors ? new JsonObject { ["sensors"] = SensorsArray(sensors) } : null,
                }));
            if (line.Get("out") is string outDirectory)
            {
                // Copied by the CLI, with its user's rights: the cloud itself writes only inside its folder.
                string target = Path.Combine(Path.GetFullPath(outDirectory), "device.json");
                Directory.CreateDirectory(Path.GetDirectoryName(target));
                var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using (var output = new FileStream(target, options))
                using (var input = File.OpenRead((string)answer["config"]))
                {
                    input.CopyTo(output);
                }

                answer["copy"] = target;
            }

            return Print(answer);
        }

        private static int Serve(string dir, CommandLine line)
        {
            var log = new ConsoleLog(Console.Error, line.Flag("verbose") ? LogLevel.Debug : LogLevel.Info);
            LocalCloud cloud = CloudHosting.Start(dir, log, line.GetInt("tls-port", 0), line.GetInt("port", 0));
            ControlServer control = null;
            string info = Path.Combine(dir, ControlClient.CloudInfoFile);
            try
            {
                control = new ControlServer(cloud, log);
                AliyunIot.Cloud.Registry.PrivateFiles.WriteAllText(dir, info, new JsonObject
                {
                    ["control"] = control.Url,
                    ["pid"] = Environment.ProcessId,
                    ["brokerHost"] = cloud.Broker.Host,
                    ["brokerTlsPort"] = cloud.Broker.TlsPort,
                    ["brokerPlainPort"] = cloud.Broker.PlainPort,
                    ["caCertificateFile"] = cloud.CaCertificatePath,
                }.ToJsonString());
                using var stop = new ManualResetEventSlim(false);
                Console.CancelKeyPress += (_, e) =>
                {
                    e.Cancel = true;
                    stop.Set();
                };
                using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                    System.Runtime.InteropServices.PosixSignal.SIGTERM,
                    context =>
                    {
                        context.Cancel = true;
                        stop.Set();
                    });
                Console.WriteLine($"cloud serving {dir}: broker mqtts://{cloud.Broker.Host}:{cloud.Broker.TlsPort} (plain mqtt://{cloud.Broker.Host}:{cloud.Broker.PlainPort}), control API {control.Url}");
                Console.WriteLine($"web console: open the address `cloud console --dir {dir}` prints (it carries the access token kept in {Path.Combine(dir, ControlServer.TokenFile)})");
                Console.WriteLine("running until Ctrl+C, SIGTERM or `cloud stop`");
                Console.Out.Flush();
                WaitHandle.WaitAny(new[] { stop.WaitHandle, control.ShutdownRequested });
            }
            finally
            {
                // cloud.json goes last: `cloud stop` waits for it, and the folder is free for the next serve then.
                control?.Dispose();
                cloud.Dispose();
                File.Delete(info);
            }

            Console.WriteLine("cloud stopped");
            return 0;
        }

        private static JsonNode Send(string dir, string method, string path, JsonObject body)
        {
            using var client = new ControlClient(dir);
            if (method == "GET")
            {
                string query = string.Join("&", body.Where(p => p.Value != null).Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value.ToString())));
                return client.Send("GET", path + (query.Length > 0 ? "?" + query : string.Empty), null);
            }

            return client.Send(method, path, body);
        }

        private static JsonObject Target(CommandLine line, JsonObject body, bool deviceRequired = true)
        {
            body["productKey"] = line.Get("product");
            body["deviceName"] = deviceRequired ? line.Require("device") : line.Get("device");
            return body;
        }

        private static JsonObject Service(CommandLine line) => new JsonObject
        {
            ["service"] = line.Require("service"),
            ["params"] = Json(line.Get("params", "{}")),
            ["validate"] = !line.Flag("no-validate"),
        };

        private static JsonNode Json(string text) =>
            JsonNode.Parse(text) as JsonObject ?? throw new ArgumentException("--params must be a JSON object");

        private static JsonNode SensorsArray(string file) =>
            JsonNode.Parse(File.ReadAllText(file)) as JsonArray ?? throw new ArgumentException("--sensors must name a file holding a JSON array (device.json's sensors section)");

        private static int Print(JsonNode json)
        {
            Console.WriteLine(json?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }

        private static int PrintResult(JsonNode json)
        {
            Print(json);
            return CommandResult.FromJson(json).Succeeded ? 0 : 1;
        }
    }
}
