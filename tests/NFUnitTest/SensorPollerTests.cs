using System.Collections;
using AliyunIot.Sensors;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The sensor poller on the nanoCLR, driven tick by tick with a step clock over scripted pins: every sensor posted
    /// once at start, debounced digital inputs with their event, ADC values posted only after the period and beyond
    /// the deadband, outputs driven by property set and checked, and a failing pin counted without stopping the rest.
    /// </summary>
    [TestClass]
    public class SensorPollerTests
    {
        private const string Board = "[" +
            "{\"type\":\"digitalInput\",\"property\":\"Door\",\"pin\":4,\"pull\":\"up\",\"debounceMs\":50,\"invert\":true,\"event\":\"DoorChanged\"}," +
            "{\"type\":\"digitalOutput\",\"property\":\"Relay\",\"pin\":2,\"initial\":false}," +
            "{\"type\":\"adc\",\"property\":\"Level\",\"channel\":6,\"scale\":0.1,\"offset\":-50,\"periodMs\":1000,\"deadband\":0.5,\"decimals\":1}]";

        [TestMethod]
        public void The_first_tick_posts_every_sensor_once()
        {
            SensorRig b = new SensorRig();
            Assert.IsTrue(b.Pins.PullOf(4) == AliyunIot.Ports.PinPull.Up, "pull-up");
            b.Poller.Tick();
            Assert.AreEqual("post Door=0;post Relay=0;post Level=20.0", b.Posts(), "one post each");
            b.Rig.Publisher.Clear();
            b.Rig.Clock.Advance(5000);
            b.Poller.Tick();
            Assert.AreEqual("", b.Posts(), "nothing changed, nothing posted");
        }

        [TestMethod]
        public void A_digital_input_posts_a_debounced_change_with_its_event()
        {
            SensorRig b = new SensorRig();
            b.Poller.Tick();
            b.Rig.Publisher.Clear();

            // Pull-up input inverted: pin low = pressed = true. A 30 ms glitch is ignored.
            b.Pins.SetInput(4, false);
            b.Poller.Tick();
            b.Rig.Clock.Advance(30);
            b.Pins.SetInput(4, true);
            b.Poller.Tick();
            b.Rig.Clock.Advance(100);
            b.Poller.Tick();
            Assert.AreEqual("", b.Posts(), "glitch ignored");

            b.Pins.SetInput(4, false);
            b.Poller.Tick();
            b.Rig.Clock.Advance(49);
            b.Poller.Tick();
            Assert.AreEqual("", b.Posts(), "49 ms is not enough");
            b.Rig.Clock.Advance(1);
            b.Poller.Tick();
            Assert.AreEqual("post Door=1;event DoorChanged \"Door\":1", b.Posts(), "after 50 ms");
        }

        [TestMethod]
        public void An_adc_value_is_posted_after_its_period_and_beyond_the_deadband()
        {
            SensorRig b = new SensorRig();
            b.Poller.Tick();
            b.Rig.Publisher.Clear();

            b.Pins.SetAnalog(6, 704); // 20.4: inside the 0.5 deadband
            b.Rig.Clock.Advance(1000);
            b.Poller.Tick();
            Assert.AreEqual("", b.Posts(), "inside the deadband");

            b.Pins.SetAnalog(6, 705); // 20.5: moved by the deadband, but the period has not elapsed
            b.Rig.Clock.Advance(500);
            b.Poller.Tick();
            Assert.AreEqual("", b.Posts(), "before the period");
            b.Rig.Clock.Advance(500);
            b.Poller.Tick();
            Assert.AreEqual("post Level=20.5", b.Posts(), "after the period");

            // The deadband is measured from the last posted value.
            b.Rig.Publisher.Clear();
            b.Pins.SetAnalog(6, 701); // 20.1: 0.4 below 20.5
            b.Rig.Clock.Advance(1000);
            b.Poller.Tick();
            Assert.AreEqual("", b.Posts(), "0.4 from the last post");
            b.Pins.SetAnalog(6, 600); // 10.0
            b.Rig.Clock.Advance(1000);
            b.Poller.Tick();
            Assert.AreEqual("post Level=10.0", b.Posts(), "a real move");
        }

        [TestMethod]
        public void An_output_property_drives_the_pin_and_a_stuck_pin_is_refused()
        {
            SensorRig b = new SensorRig();
            b.Poller.Tick();
            b.Rig.Publisher.Clear();
            b.Rig.Send(b.Rig.Sys("thing/service/property/set"), "{\"id\":\"41\",\"params\":{\"Relay\":1}}");
            Assert.IsTrue(b.Pins.GetOutput(2), "pin driven high");
            Assert.AreEqual("{\"id\":\"41\",\"code\":200,\"data\":{}}", b.Rig.Publisher[0].Text, "reply");

            b.Rig.Publisher.Clear();
            b.Pins.SetStuck(2, true);
            b.Rig.Send(b.Rig.Sys("thing/service/property/set"), "{\"id\":\"42\",\"params\":{\"Relay\":0}}");
            Assert.AreEqual(1, b.Rig.Publisher.Count, "only the reply");
            Assert.AreEqual("{\"id\":\"42\",\"code\":400,\"data\":{},\"message\":\"property Relay: pin did not take the level\"}", b.Rig.Publisher[0].Text, "refused");
            Assert.IsTrue((bool)b.Rig.Model.GetValue("Relay"), "value unchanged");
        }

        [TestMethod]
        public void Inputs_cannot_be_set_by_the_cloud()
        {
            SensorRig b = new SensorRig();
            b.Rig.Send(b.Rig.Sys("thing/service/property/set"), "{\"id\":\"43\",\"params\":{\"Door\":1}}");
            Assert.AreEqual("{\"id\":\"43\",\"code\":460,\"data\":{},\"message\":\"property Door: read-only\"}", b.Rig.Publisher[0].Text, "refused");
        }

        [TestMethod]
        public void A_failing_pin_is_counted_and_the_other_sensors_still_poll()
        {
            SensorRig b = new SensorRig();
            b.Pins.FailInput(4, true);
            b.Poller.Tick();
            Assert.AreEqual(1, b.Poller.ReadErrors, "counted");
            Assert.AreEqual("post Relay=0;post Level=20.0", b.Posts(), "the others posted");
            Assert.IsTrue(b.Rig.Log.Contains("reading Door failed: pin read failed"), "logged");
        }

        /// <summary>The board above over scripted pins, on the thing rig (channel 6 reads 700: 0.1 * 700 - 50 = 20.0).</summary>
        private sealed class SensorRig
        {
            public readonly ThingRig Rig = new ThingRig(4096);
            public readonly ScriptedPins Pins = new ScriptedPins();
            public readonly SensorPoller Poller;

            public SensorRig()
            {
                ArrayList sensors = (ArrayList)new TinyJsonParser().Parse(Board);
                Poller = new SensorPoller(SensorConfigParser.Parse(sensors, true), Rig.Model, Rig.Reporter, Pins, Rig.Clock, Rig.Log);
                Pins.SetAnalog(6, 700);
            }

            /// <summary>Each published post as "post Name=value" or "event Id "Name":value", joined with ';'.</summary>
            public string Posts()
            {
                string all = "";
                for (int i = 0; i < Rig.Publisher.Count; i++)
                {
                    PublishedMessage m = Rig.Publisher[i];
                    string text = m.Text;
                    string entry;
                    if (m.Topic == Rig.Topics.PropertyPost)
                    {
                        // {"id":"n","version":"1.0","sys":{"ack":1},"params":{"Name":{"value":V,"time":T}},...}
                        entry = "post " + Between(text, "\"params\":{\"", "\"") + "=" + Between(text, "\"value\":", ",");
                    }
                    else
                    {
                        entry = "event " + Between(m.Topic, "/thing/event/", "/post") + " " + Between(text, "\"value\":{", "}");
                    }

                    all = all + (i == 0 ? "" : ";") + entry;
                }

                return all;
            }

            private static string Between(string text, string before, string after)
            {
                int start = Find(text, before, 0);
                if (start < 0)
                {
                    return "?";
                }

                start += before.Length;
                int end = Find(text, after, start);
                return end < 0 ? "?" : text.Substring(start, end - start);
            }

            private static int Find(string text, string part, int from)
            {
                for (int i = from; i + part.Length <= text.Length; i++)
                {
                    if (AliyunIot.Alink.OrdinalText.StartsWith(text, i, part))
                    {
                        return i;
                    }
                }

                return -1;
            }
        }
    }
}
