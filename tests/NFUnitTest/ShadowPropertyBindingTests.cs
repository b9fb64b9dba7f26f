using System.Collections;
using AliyunIot.Shadow;
using AliyunIot.Thing;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>The ESP32 application's desired-state handler: desired attributes drive writable properties.</summary>
    [TestClass]
    public class ShadowPropertyBindingTests
    {
        [TestMethod]
        public void Writable_properties_are_set_through_their_setter_and_reported()
        {
            ThingModel model = new ThingModel();
            string driven = "";
            model.AddProperty(PropertyDefinition.Bool("Relay", PropertyAccess.ReadWrite), delegate(PropertyDefinition p, object v) { driven = driven + p.Identifier + "=" + v.ToString() + ";"; return null; });
            model.AddProperty(PropertyDefinition.Int("Level", 0, 10, PropertyAccess.ReadWrite), null);
            model.AddProperty(PropertyDefinition.Int("Temp", -40, 85, PropertyAccess.ReadOnly), null);
            SilentLog log = new SilentLog();
            Hashtable desired = new Hashtable();
            desired["Relay"] = true;
            desired["Level"] = 11L;
            desired["Temp"] = 20L;
            desired["Nope"] = 1L;

            Hashtable applied = new ShadowPropertyBinding(model, log).Apply(desired, 5);

            Assert.AreEqual(1, applied.Count, "only Relay applies: Level is out of range, Temp read-only, Nope unknown");
            Assert.AreEqual(true, (bool)applied["Relay"], "reported as stored");
            Assert.AreEqual("Relay=True;", driven, "the setter drove the output once");
            Assert.AreEqual(true, (bool)model.GetValue("Relay"), "stored in the model");
            Assert.IsNull(model.GetValue("Level"), "a refused value is not stored");
        }

        [TestMethod]
        public void A_desired_state_nothing_of_which_applies_stays_in_the_cloud()
        {
            ThingModel model = new ThingModel();
            model.AddProperty(PropertyDefinition.Bool("Relay", PropertyAccess.ReadWrite), delegate(PropertyDefinition p, object v) { return "interlocked"; });
            Hashtable desired = new Hashtable();
            desired["Relay"] = true;

            Assert.IsNull(new ShadowPropertyBinding(model, new SilentLog()).Apply(desired, 2), "null: not acknowledged, not cleared");
            Assert.AreEqual(0, new ShadowPropertyBinding(model, null).Apply(new Hashtable(), 3).Count, "an empty desired state is simply done");
        }
    }
}
