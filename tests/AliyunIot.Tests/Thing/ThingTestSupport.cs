using System.Collections;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.Connection;
using AliyunIot.Tests.Support;
using AliyunIot.Thing;

namespace AliyunIot.Tests.Thing
{
    /// <summary>A device with a small thing model wired to a capturing publisher.</summary>
    public sealed class ThingFixture
    {
        public const string Pk = "a1B2c3D4e5F";
        public const string Dn = "dev1";
        public const long T0 = 1767225600000; // 2026-01-01T00:00:00Z, the ManualClock's start

        /// <param name="maxPayloadBytes">limits.maxPayloadBytes.</param>
        /// <param name="publisher">Where the reporter and dispatcher send; null: <see cref="Publisher"/>.</param>
        /// <param name="log">Where the reporter and dispatcher log; null: <see cref="Log"/>.</param>
        public ThingFixture(int maxPayloadBytes = 16384, IPublisher publisher = null, AliyunIot.Ports.ILog log = null, int bufferCapacity = 8)
        {
            Topics = new DeviceTopics(Pk, Dn);
            Clock = new ManualClock();
            Log = new CapturingLog();
            Publisher = new CapturingPublisher();
            Model = new ThingModel();
            Model.AddProperty(PropertyDefinition.Float("Temp", -40, 120, 1, PropertyAccess.ReadOnly));
            Model.AddProperty(PropertyDefinition.Bool("Power", PropertyAccess.ReadWrite), (p, v) =>
            {
                SetCalls.Add(p.Identifier + "=" + v);
                return PowerRefusal;
            });
            Model.AddProperty(PropertyDefinition.Double("Target", 0, 100, 2, PropertyAccess.ReadWrite), (p, v) =>
            {
                SetCalls.Add(p.Identifier + "=" + v);
                return null;
            });
            Model.AddProperty(PropertyDefinition.Enum("Mode", new[] { 0, 1, 2 }, PropertyAccess.ReadWrite));
            Model.AddProperty(PropertyDefinition.Text("Label", 16, PropertyAccess.ReadWrite));
            Model.AddProperty(PropertyDefinition.Int("Count", 0, 1000, PropertyAccess.ReadWrite));
            Model.AddProperty(PropertyDefinition.Date("Stamp", PropertyAccess.ReadWrite));
            Model.AddService(
                new ServiceDefinition("Reset", true)
                    .AddInput(PropertyDefinition.Int("Delay", 0, 60, PropertyAccess.ReadWrite))
                    .AddOutput(PropertyDefinition.Bool("Done", PropertyAccess.ReadOnly))
                    .AddOutput(PropertyDefinition.Float("Took", 0, 100, 1, PropertyAccess.ReadOnly)),
                (s, inputs, outputs) =>
                {
                    ServiceCalls.Add(s.Identifier + ":" + string.Join(",", inputs.Keys.Cast<string>().OrderBy(k => k).Select(k => k + "=" + inputs[k])));
                    outputs["Took"] = 1.25;
                    outputs["Done"] = true;
                });
            Model.AddService(new ServiceDefinition("Boom", false), (s, i, o) => throw new InvalidOperationException("kaboom"));
            Model.AddService(new ServiceDefinition("Busy", false), (s, i, o) => throw new ThingHandlerException(100123, "busy, try later"));
            Model.AddService(new ServiceDefinition("BadOut", false), (s, i, o) => o["Nope"] = 1);
            Model.AddEvent(new EventDefinition("Alarm").AddOutput(PropertyDefinition.Int("Level", 0, 10, PropertyAccess.ReadOnly)));
            Reporter = new ThingReporter(Model, Topics, publisher ?? Publisher, new AlinkIds(), Clock, log ?? Log, maxPayloadBytes, 10000, bufferCapacity);
            Dispatcher = new ThingDispatcher(Model, Reporter, Topics, publisher ?? Publisher, log ?? Log, maxPayloadBytes);
        }

        public DeviceTopics Topics { get; }
        public ManualClock Clock { get; }
        public CapturingLog Log { get; }
        public CapturingPublisher Publisher { get; }
        public ThingModel Model { get; }
        public ThingReporter Reporter { get; }
        public ThingDispatcher Dispatcher { get; }
        public List<string> SetCalls { get; } = new List<string>();
        public List<string> ServiceCalls { get; } = new List<string>();
        public string PowerRefusal { get; set; }

        public string Sys(string rest) => "/sys/" + Pk + "/" + Dn + "/" + rest;

        public bool Send(string topic, string json) => Dispatcher.Handle(topic, Encoding.UTF8.GetBytes(json));
    }
}
