using System;
using System.Collections;
using System.Text;
using AliyunIot.Alink;
using AliyunIot.Thing;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// A device with a small thing model (the host tests' ThingFixture, portable): a reporter and a dispatcher wired
    /// to a recording publisher, a step clock and the test JSON parser. Set and service calls are recorded in order.
    /// </summary>
    internal sealed class ThingRig
    {
        /// <summary>Product key.</summary>
        public const string Pk = "a1B2c3D4e5F";

        /// <summary>Device name.</summary>
        public const string Dn = "dev1";

        /// <summary>UTC milliseconds of the step clock's start (2026-01-01T00:00:01Z).</summary>
        public const string Time = "1767225601000";

        /// <summary>Builds the rig; <paramref name="maxPayloadBytes"/> is limits.maxPayloadBytes.</summary>
        public ThingRig(int maxPayloadBytes)
        {
            Topics = new DeviceTopics(Pk, Dn);
            Clock = new StepClock();
            Log = new RecordingLog();
            Publisher = new RecordingPublisher();
            Model = new ThingModel();
            Model.AddProperty(PropertyDefinition.Float("Temp", -40, 120, 1, PropertyAccess.ReadOnly));
            Model.AddProperty(PropertyDefinition.Bool("Power", PropertyAccess.ReadWrite), RecordSet);
            Model.AddProperty(PropertyDefinition.Double("Target", 0, 100, 2, PropertyAccess.ReadWrite), RecordSet);
            Model.AddProperty(PropertyDefinition.Enum("Mode", new int[] { 0, 1, 2 }, PropertyAccess.ReadWrite));
            Model.AddProperty(PropertyDefinition.Text("Label", 16, PropertyAccess.ReadWrite));
            Model.AddProperty(PropertyDefinition.Int("Count", 0, 1000, PropertyAccess.ReadWrite));
            Model.AddService(
                new ServiceDefinition("Reset", true)
                    .AddInput(PropertyDefinition.Int("Delay", 0, 60, PropertyAccess.ReadWrite))
                    .AddOutput(PropertyDefinition.Bool("Done", PropertyAccess.ReadOnly)),
                Reset);
            Model.AddService(new ServiceDefinition("Boom", false), Boom);
            Model.AddService(new ServiceDefinition("Busy", false), Busy);
            Model.AddEvent(new EventDefinition("Alarm").AddOutput(PropertyDefinition.Int("Level", 0, 10, PropertyAccess.ReadOnly)));
            Reporter = new ThingReporter(Model, Topics, Publisher, new AlinkIds(), Clock, Log, maxPayloadBytes, 10000, 4);
            Dispatcher = new ThingDispatcher(Model, Reporter, Topics, Publisher, Log, maxPayloadBytes);
        }

        /// <summary>This device's topics.</summary>
        public DeviceTopics Topics { get; private set; }

        /// <summary>The clock (moves only when told).</summary>
        public StepClock Clock { get; private set; }

        /// <summary>Everything logged.</summary>
        public RecordingLog Log { get; private set; }

        /// <summary>Everything published.</summary>
        public RecordingPublisher Publisher { get; private set; }

        /// <summary>The thing model.</summary>
        public ThingModel Model { get; private set; }

        /// <summary>The reporter.</summary>
        public ThingReporter Reporter { get; private set; }

        /// <summary>The dispatcher under test.</summary>
        public ThingDispatcher Dispatcher { get; private set; }

        /// <summary>What the setter of Power returns (null accepts).</summary>
        public string PowerRefusal;

        /// <summary>"Name=value" for every setter call, and "Reset:Delay=n" for every Reset call.</summary>
        public readonly ArrayList Calls = new ArrayList();

        /// <summary>"/sys/{pk}/{dn}/" + <paramref name="rest"/>.</summary>
        public string Sys(string rest)
        {
            return "/sys/" + Pk + "/" + Dn + "/" + rest;
        }

        /// <summary>Hands <paramref name="json"/> to the dispatcher on <paramref name="topic"/>.</summary>
        public bool Send(string topic, string json)
        {
            return Dispatcher.Handle(topic, Encoding.UTF8.GetBytes(json));
        }

        /// <summary>The calls recorded so far, joined with ';'.</summary>
        public string CallList()
        {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Calls.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(';');
                }

                sb.Append((string)Calls[i]);
            }

            return sb.ToString();
        }

        private string RecordSet(PropertyDefinition property, object value)
        {
            Calls.Add(property.Identifier + "=" + value.ToString());
            return property.Identifier == "Power" ? PowerRefusal : null;
        }

        private void Reset(ServiceDefinition service, Hashtable inputs, Hashtable outputs)
        {
            Calls.Add("Reset:Delay=" + (inputs.Contains("Delay") ? inputs["Delay"].ToString() : "none"));
            outputs["Done"] = true;
        }

        private static void Boom(ServiceDefinition service, Hashtable inputs, Hashtable outputs)
        {
            throw new InvalidOperationException("kaboom");
        }

        private static void Busy(ServiceDefinition service, Hashtable inputs, Hashtable outputs)
        {
            throw new ThingHandlerException(100123, "busy, try later");
        }
    }
}
