using System.Globalization;
using System.Runtime.InteropServices;
using AliyunIot.Cloud.Control;
using AliyunIot.Cloud.Tsl;
using AliyunIot.Config;
using AliyunIot.Simulator.Device;
using AliyunIot.Simulator.Fleet;
using AliyunIot.Simulator.Tour;

namespace AliyunIot.Simulator
{
    /// <summary>The <c>simulator</c> command line: one device (<c>run</c>), a fleet, or the scripted tour.</summary>
    public static class Program
    {
        private const string Usage = @"usage: simulator <command> ...
  run   --flash <dir> [--config <device.json>] [--host <h>] [--port <p>] [--ca <pem>] [--ota-key <public.pem>]
        [--temperature <C>] [--target <C>] [--sample-ms <ms>] [--factory-version <v>] [--tsl <file>] [--verbose]
        one device; stdin commands: temperature <C> | target <C> | sample | status | reboot | quit, and for
        device.json's sensors: pin <gpio> high|low (digital input) | adc <channel> <raw 0..4095> | pins
  fleet [--fleet <N>] [--work <dir>] [--no-restart] [--timeout <s>] [--rate <devices per s>]
        N devices (default 100) against an in-process local cloud; connect-time distribution, then a broker
        restart and the reconnect histograms (attempts and completed connections); work dir default /dev/shm
  tour  [--work <dir>] [--corrupt] [--verbose]
        the scripted tour (local cloud + one device in this process); exit 0 when every step succeeded";

        /// <summary>Entry point.</summary>
        public static int Main(string[] args)
        {
            var line = new CommandLine(args);
            string command = line.Positional.Count > 0 ? line.Positional[0] : line.Get("fleet") != null ? "fleet" : null;
            try
            {
                switch (command)
                {
                    case "run":
                        return Run(line);
                    case "fleet":
                        return RunFleet(line);
                    case "tour":
                        return RunTour(line);
                    default:
                        Console.Error.WriteLine(Usage);
                        return line.Flag("help") ? 0 : 2;
                }
            }
            catch (Exception e) when (e is ArgumentException or FileNotFoundException or ConfigException or FormatException or InvalidOperationException)
            {
                Console.Error.WriteLine("simulator: " + e.Message);
                return 1;
            }
        }

        private static int RunTour(CommandLine line)
        {
            // Own work folder: 0700, random name, a crashed run's folder removed (it holds device secrets and keys).
            string work = line.Get("work") ?? AliyunIot.TestBroker.PrivateFiles.CreateFolder(Path.GetTempPath(), "aliyun-tour-");
            bool ownWork = line.Get("work") == null;
            using var cancel = new CancellationTokenSource();
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
            {
                // Let the tour's finally blocks stop the broker and the device before the process ends.
                c.Cancel = true;
                cancel.Cancel();
            });
            try
            {
                var tour = new TourRunner(work, line.Flag("corrupt"), Console.Out, line.Flag("verbose") ? Console.Error : null);
                return tour.Run(cancel.Token);
            }
            finally
            {
                if (ownWork && Directory.Exists(work))
                {
                    Directory.Delete(work, true);
                }
            }
        }

        private static int RunFleet(CommandLine line)
        {
            int count = line.GetInt("fleet", line.GetInt("count", 100));
            string work = line.Get("work") ?? AliyunIot.TestBroker.PrivateFiles.CreateFolder(FleetRunner.DefaultWorkRoot(), "aliyun-fleet-");
            bool ownWork = line.Get("work") == null;
            try
            {
                var fleet = new FleetRunner(work, count, Console.Out, line.Flag("verbose") ? Console.Error : null) { PowerOnPerSecond = line.GetInt("rate", 0) };
                return fleet.Run(!line.Flag("no-restart"), TimeSpan.FromSeconds(line.GetInt("timeout", 120)));
            }
            finally
            {
                if (ownWork && Directory.Exists(work))
                {
                    Directory.Delete(work, true);
                }
            }
        }

        private static int Run(CommandLine line)
        {
            ThingModelDefinition tsl = line.Get("tsl") is string tslFile ? ThingModelDefinition.Parse(File.ReadAllText(tslFile)) : ThingModelDefinition.LoadDemo();
            var options = new SimulatorOptions
            {
                FlashDirectory = line.Require("flash"),
                ConfigFile = line.Get("config"),
                Host = line.Get("host"),
                Port = line.GetInt("port", 0),
                CaFile = line.Get("ca") is string ca ? Path.GetFullPath(ca) : null,
                OtaPublicKeyFile = line.Get("ota-key") is string key ? Path.GetFullPath(key) : null,
                Temperature = Number(line.Get("temperature", "22")),
                TargetTemperature = Number(line.Get("target", line.Get("temperature", "22"))),
                SamplePeriodMs = line.GetInt("sample-ms", 5000),
                FactoryVersion = line.Get("factory-version", "1.0.0"),
                LogLevel = line.Flag("verbose") ? AliyunIot.Ports.LogLevel.Debug : AliyunIot.Ports.LogLevel.Info,
            };
            using var device = new SimulatedDevice(options, tsl);
            using var stop = new ManualResetEventSlim(false);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
            {
                c.Cancel = true;
                stop.Set();
            });
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true;
                stop.Set();
            };
            device.StatusChanged += (d, status, reason) => Console.WriteLine($"status: {status} {reason}");
            device.Booted += d => Console.WriteLine($"booted #{d.BootCount}: application {d.RunningVersion}");
            Console.WriteLine($"flash folder {device.Flash.Directory}");
            device.PowerOn();
            var input = new Thread(() => ReadCommands(device, stop)) { IsBackground = true, Name = "sim-stdin" };
            input.Start();
            stop.Wait();
            Console.WriteLine("powering off");
            return 0;
        }

        private static void ReadCommands(SimulatedDevice device, ManualResetEventSlim stop)
        {
            string text;
            while (!stop.IsSet && (text = Console.In.ReadLine()) != null)
            {
                string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0)
                {
                    continue;
                }

                try
                {
                    switch (words[0])
                    {
                        case "temperature":
                            device.Climate.SetTemperature(Number(words[1]));
                            Console.WriteLine($"temperature {device.Climate.Temperature} °C; sample: {device.SampleNow() ?? "posted"}");
                            break;
                        case "target":
                            device.Climate.Target = Number(words[1]);
                            Console.WriteLine($"target {device.Climate.Target} °C");
                            break;
                        case "sample":
                            Console.WriteLine("sample: " + (device.SampleNow() ?? "posted"));
                            break;
                        case "status":
                            Console.WriteLine($"status {device.Status}, application {device.RunningVersion}, boot #{device.BootCount}, temperature {device.Climate.Temperature} °C, lamp {(device.Application.LampOn ? "on" : "off")}");
                            break;
                        case "reboot":
                            device.Restart("requested on the command line");
                            break;
                        case "pin":
                            device.Pins.SetInput(int.Parse(words[1], CultureInfo.InvariantCulture), Level(words[2]));
                            Console.WriteLine("pins: " + device.Pins.Describe());
                            break;
                        case "adc":
                            device.Pins.SetAnalog(int.Parse(words[1], CultureInfo.InvariantCulture), int.Parse(words[2], CultureInfo.InvariantCulture));
                            Console.WriteLine("pins: " + device.Pins.Describe());
                            break;
                        case "pins":
                            Console.WriteLine("pins: " + device.Pins.Describe());
                            break;
                        case "config":
                            // On demand: thing.config.get (the answer is downloaded and applied like a push).
                            Console.WriteLine($"thing.config.get: {device.RemoteConfig.RequestConfig()}; config in use: {device.Application.AppliedConfigId ?? "none"}");
                            break;
                        case "network":
                            // An outage of this device alone: readings taken meanwhile go out as history posts.
                            device.Network.Up = Level(words[1]);
                            Console.WriteLine($"network {(device.Network.Up ? "up" : "down")}; {device.Reporter?.BufferedReadings ?? 0} readings buffered");
                            break;
                        case "quit":
                        case "exit":
                            stop.Set();
                            return;
                        default:
                            Console.WriteLine("commands: temperature <C> | target <C> | sample | status | reboot | quit | pin <gpio> high|low | adc <channel> <raw> | pins | config | network up|down");
                            break;
                    }
                }
                catch (Exception e) when (e is FormatException or IndexOutOfRangeException)
                {
                    Console.WriteLine("bad command: " + e.Message);
                }
            }
        }

        private static bool Level(string text) => text switch
        {
            "high" or "1" or "on" or "up" => true,
            "low" or "0" or "off" or "down" => false,
            _ => throw new FormatException($"'{text}' is not a level (high|low)"),
        };

        private static double Number(string text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                ? value
                : throw new ArgumentException($"'{text}' is not a number");
    }
}
