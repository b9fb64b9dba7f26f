using System;
using System.Collections;
using AliyunIot.Thing;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// TSL struct and array properties on the nanoCLR: declared in the device's thing model, set from the cloud
    /// and validated member by member and element by element (460 naming the member or element, nothing applied),
    /// handed to setters as Hashtable / object[], and posted in the platform's wire format (bytes pinned).
    /// </summary>
    [TestClass]
    public class CompositePropertyTests
    {
        private const string SetTopic = "thing/service/property/set";

        [TestMethod]
        public void A_struct_and_an_array_are_set_answered_200_and_posted_exactly()
        {
            CompositeRig c = new CompositeRig();
            c.Rig.Send(c.Rig.Sys(SetTopic), "{\"id\":\"30\",\"params\":{\"Samples\":[1,50,100],\"Location\":{\"Source\":1,\"Latitude\":31.2,\"Longitude\":121.5}}}");
            Assert.AreEqual(2, c.Rig.Publisher.Count, "reply and post");
            Assert.AreEqual("{\"id\":\"30\",\"code\":200,\"data\":{}}", c.Rig.Publisher[0].Text, "reply");
            Assert.AreEqual(
                "{\"id\":\"1\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":{"
                + "\"Location\":{\"value\":{\"Latitude\":31.20,\"Longitude\":121.50,\"Source\":1},\"time\":" + ThingRig.Time + "},"
                + "\"Samples\":{\"value\":[1,50,100],\"time\":" + ThingRig.Time + "}},\"method\":\"thing.event.property.post\"}",
                c.Rig.Publisher[1].Text,
                "members in declaration order, floats with their decimals");

            Hashtable location = (Hashtable)c.SetLocation;
            Assert.AreEqual(3, location.Count, "setter got the three members");
            Assert.IsTrue((double)location["Latitude"] == 31.2, "Latitude");
            Assert.AreEqual(1, (int)location["Source"], "Source");
            object[] samples = (object[])c.Rig.Model.GetValue("Samples");
            Assert.AreEqual(3, samples.Length, "three samples stored");
            Assert.AreEqual(100, (int)samples[2], "last sample");
        }

        [TestMethod]
        public void An_array_of_structs_round_trips_and_setting_the_same_value_posts_nothing()
        {
            CompositeRig c = new CompositeRig();
            string request = "{\"id\":\"31\",\"params\":{\"Zones\":[{\"Name\":\"hall\",\"Level\":2},{\"Name\":\"attic\"}]}}";
            c.Rig.Send(c.Rig.Sys(SetTopic), request);
            Assert.AreEqual(
                "{\"id\":\"1\",\"version\":\"1.0\",\"sys\":{\"ack\":1},\"params\":{\"Zones\":{\"value\":[{\"Name\":\"hall\",\"Level\":2},{\"Name\":\"attic\"}],\"time\":" + ThingRig.Time + "}},\"method\":\"thing.event.property.post\"}",
                c.Rig.Publisher[1].Text,
                "post");

            c.Rig.Publisher.Clear();
            c.Rig.Send(c.Rig.Sys(SetTopic), request);
            Assert.AreEqual(1, c.Rig.Publisher.Count, "only the reply: compared by content, not by reference");
        }

        [TestMethod]
        public void A_bad_member_or_element_is_answered_460_naming_it_and_nothing_is_applied()
        {
            Expect460("{\"Location\":{\"Latitude\":91}}", "property Location: member Latitude: above maximum 90");
            Expect460("{\"Location\":{\"Latitude\":\"north\"}}", "property Location: member Latitude: expected number");
            Expect460("{\"Location\":{\"Altitude\":5}}", "property Location: member Altitude: unknown");
            Expect460("{\"Location\":{\"a b\":5}}", "property Location: member ?: unknown");
            Expect460("{\"Location\":[1,2]}", "property Location: expected object");
            Expect460("{\"Samples\":[1,2,3,4]}", "property Samples: 4 elements, at most 3");
            Expect460("{\"Samples\":[1,101]}", "property Samples: element 1: above maximum 100");
            Expect460("{\"Samples\":[1,\"x\"]}", "property Samples: element 1: expected number");
            Expect460("{\"Samples\":{\"a\":1}}", "property Samples: expected array");
            Expect460("{\"Zones\":[{\"Name\":\"far too long\"}]}", "property Zones: element 0: member Name: longer than 8 characters");
            Expect460("{\"Location\":{\"Latitude\":1.0},\"Samples\":[1,2,3,4,5]}", "property Samples: 5 elements, at most 3");
        }

        [TestMethod]
        public void Get_answers_struct_and_array_values()
        {
            CompositeRig c = new CompositeRig();
            Hashtable location = new Hashtable();
            location["Latitude"] = -33.9;
            location["Longitude"] = 18.4;
            Assert.IsNull(c.Rig.Model.SetValue("Location", location), "application value accepted");
            Assert.IsNull(c.Rig.Model.SetValue("Samples", new int[] { 7, 8 }), "an int[] is an array value");
            c.Rig.Send(c.Rig.Sys("thing/service/property/get"), "{\"id\":\"32\",\"params\":[\"Location\",\"Samples\"]}");
            Assert.AreEqual("{\"id\":\"32\",\"code\":200,\"data\":{\"Location\":{\"Latitude\":-33.90,\"Longitude\":18.40},\"Samples\":[7,8]}}", c.Rig.Publisher[0].Text, "get_reply");
        }

        [TestMethod]
        public void Values_reported_offline_go_out_in_the_history_post_with_their_structure()
        {
            CompositeRig c = new CompositeRig();
            c.Rig.Reporter.Online = false;
            Assert.IsNull(c.Rig.Reporter.ReportProperty("Samples", new object[] { 4, 5 }), "reported");
            Assert.AreEqual("property Samples: element 0: expected number", c.Rig.Reporter.ReportProperty("Samples", new object[] { "x" }), "an application value is validated too");
            c.Rig.Reporter.Online = true;
            Assert.AreEqual(1, c.Rig.Publisher.Count, "one history post");
            Assert.Contains("\"properties\":[{\"Samples\":{\"value\":[4,5],\"time\":" + ThingRig.Time + "}}]", c.Rig.Publisher[0].Text, "history post");
        }

        [TestMethod]
        public void Declarations_the_platform_does_not_allow_are_refused()
        {
            Assert.ThrowsException(typeof(ArgumentException), StructInStruct, "a struct member cannot be a struct");
            Assert.ThrowsException(typeof(ArgumentException), ArrayOfBool, "array elements are int, float, double, text or struct");
            Assert.ThrowsException(typeof(ArgumentException), ArrayTooLarge, "at most 512 elements");
            Assert.ThrowsException(typeof(ArgumentException), EmptyStruct, "a struct has members");
        }

        private static void StructInStruct()
        {
            PropertyDefinition inner = PropertyDefinition.Struct("Inner", new PropertyDefinition[] { PropertyDefinition.Int("A", 0, 1, PropertyAccess.ReadWrite) }, PropertyAccess.ReadWrite);
            PropertyDefinition.Struct("Outer", new PropertyDefinition[] { inner }, PropertyAccess.ReadWrite);
        }

        private static void ArrayOfBool()
        {
            PropertyDefinition.Array("Flags", PropertyDefinition.Bool("item", PropertyAccess.ReadWrite), 4, PropertyAccess.ReadWrite);
        }

        private static void ArrayTooLarge()
        {
            PropertyDefinition.Array("Big", PropertyDefinition.Int("item", 0, 1, PropertyAccess.ReadWrite), 513, PropertyAccess.ReadWrite);
        }

        private static void EmptyStruct()
        {
            PropertyDefinition.Struct("Empty", new PropertyDefinition[0], PropertyAccess.ReadWrite);
        }

        private static void Expect460(string parameters, string message)
        {
            CompositeRig c = new CompositeRig();
            c.Rig.Send(c.Rig.Sys(SetTopic), "{\"id\":\"5\",\"params\":" + parameters + "}");
            Assert.AreEqual(1, c.Rig.Publisher.Count, "one reply for " + parameters);
            Assert.AreEqual("{\"id\":\"5\",\"code\":460,\"data\":{},\"message\":\"" + message + "\"}", c.Rig.Publisher[0].Text, parameters);
            Assert.IsNull(c.SetLocation, "no setter called for " + parameters);
            Assert.IsNull(c.Rig.Model.GetValue("Samples"), "Samples not stored for " + parameters);
        }

        /// <summary>The thing rig plus a struct, an int array and an array of structs, as a product's TSL declares them.</summary>
        private sealed class CompositeRig
        {
            public readonly ThingRig Rig = new ThingRig(4096);
            public object SetLocation;

            public CompositeRig()
            {
                Rig.Model.AddProperty(
                    PropertyDefinition.Struct(
                        "Location",
                        new PropertyDefinition[]
                        {
                            PropertyDefinition.Float("Latitude", -90, 90, 2, PropertyAccess.ReadWrite),
                            PropertyDefinition.Float("Longitude", -180, 180, 2, PropertyAccess.ReadWrite),
                            PropertyDefinition.Enum("Source", new int[] { 0, 1 }, PropertyAccess.ReadWrite),
                        },
                        PropertyAccess.ReadWrite),
                    RecordLocation);
                Rig.Model.AddProperty(PropertyDefinition.Array("Samples", PropertyDefinition.Int("item", 0, 100, PropertyAccess.ReadWrite), 3, PropertyAccess.ReadWrite));
                Rig.Model.AddProperty(
                    PropertyDefinition.Array(
                        "Zones",
                        PropertyDefinition.Struct(
                            "item",
                            new PropertyDefinition[]
                            {
                                PropertyDefinition.Text("Name", 8, PropertyAccess.ReadWrite),
                                PropertyDefinition.Int("Level", 0, 5, PropertyAccess.ReadWrite),
                            },
                            PropertyAccess.ReadWrite),
                        2,
                        PropertyAccess.ReadWrite));
            }

            private string RecordLocation(PropertyDefinition property, object value)
            {
                SetLocation = value;
                return null;
            }
        }
    }
}
