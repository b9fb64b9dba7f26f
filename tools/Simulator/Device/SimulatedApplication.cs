using System.Collections;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Tsl;
using AliyunIot.RemoteConfig;
using AliyunIot.Thing;

namespace AliyunIot.Simulator.Device
{
    /// <summary>
    /// The application running on the simulated device: the demo product's thing model (built from the same
    /// TSL the cloud registers), handlers for its writable properties and services, and the sensor sampling
    /// that posts temperature and humidity and raises <c>HighTemperature</c> above the limit.
    /// The climate is deterministic and steered by <c>TargetTemperature</c> (cloud) or the command line.
    /// A product TSL other than the demo's (<c>--tsl</c>) gets only what it declares: handlers, services and
    /// climate samples for the demo identifiers it has; its other properties come from device.json's sensors.
    /// </summary>
    /// <remarks>
    /// Remote config (<see cref="IRemoteConfigHandler"/>): the product's config file is a JSON object; the demo
    /// application uses <c>TargetTemperature</c> (a number from -40 to 85, steers the room) and <c>SamplePeriodMs</c>
    /// (recorded), and refuses anything else that is not a JSON object with the reason.
    /// </remarks>
    public sealed class SimulatedApplication : IRemoteConfigHandler
    {
        /// <summary>Temperature above which the HighTemperature event is posted (once per crossing).</summary>
        public const double HighTemperatureLimit = 30.0;

        private readonly SimulatedClimate _climate;
        private readonly string _version;
        private readonly DateTime _bootUtc = DateTime.UtcNow;
        private ThingReporter _reporter;
        private bool _aboveLimit;

        /// <summary>Builds the model and its handlers.</summary>
        /// <param name="tsl">The product's thing model.</param>
        /// <param name="climate">The simulated room.</param>
        /// <param name="version">The application version this boot runs (from the slot's image header).</param>
        public SimulatedApplication(ThingModelDefinition tsl, SimulatedClimate climate, string version)
        {
            _climate = climate;
            _version = version;
            Model = ThingModelFromTsl.Build(tsl);
            SetHandler("LightSwitch", (p, v) =>
            {
                LampOn = v is bool on ? on : Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) != 0;
                return null;
            });
            SetHandler("Brightness", (p, v) => null);
            SetHandler("Label", (p, v) => null);
            SetHandler("TargetTemperature", (p, v) =>
            {
                _climate.Target = Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture);
                return null;
            });
            if (tsl.FindService("Blink") != null)
            {
                Model.AddService(ThingModelFromTsl.Service(tsl, "Blink"), Blink);
            }

            if (tsl.FindService("Diagnose") != null)
            {
                Model.AddService(ThingModelFromTsl.Service(tsl, "Diagnose"), Diagnose);
            }
        }

        /// <summary>The device-side thing model.</summary>
        public ThingModel Model { get; }

        /// <summary>The simulated lamp output (driven by LightSwitch).</summary>
        public bool LampOn { get; private set; }

        /// <summary>How many times the lamp blinked (Blink service).</summary>
        public int Blinks { get; private set; }

        /// <summary>The operating mode the device shadow sets (desired <c>mode</c>): comfort, eco or away.</summary>
        public string Mode { get; private set; } = "comfort";

        /// <summary>
        /// Applies a desired shadow state (<see cref="AliyunIot.Shadow.ShadowDesiredHandler"/>): <c>mode</c> is taken
        /// when it is one of comfort, eco, away; what was applied is returned (to be reported), unknown attributes
        /// are dropped; an invalid mode leaves the desired state in the cloud (null).
        /// </summary>
        public Hashtable ApplyDesired(Hashtable desired, long version)
        {
            var applied = new Hashtable();
            if (desired["mode"] is string mode)
            {
                if (mode != "comfort" && mode != "eco" && mode != "away")
                {
                    return null;
                }

                Mode = mode;
                applied["mode"] = mode;
            }

            return applied;
        }

        /// <summary>The remote config in use (null before the first), as applied.</summary>
        public JsonObject AppliedConfig { get; private set; }

        /// <summary>The id of the remote config in use, or null.</summary>
        public string AppliedConfigId { get; private set; }

        /// <inheritdoc />
        public string Apply(RemoteConfigFile file)
        {
            byte[] content = file.ReadAll();
            if (content == null)
            {
                return "the file could not be read";
            }

            JsonObject config;
            try
            {
                config = JsonNode.Parse(content) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                config = null;
            }

            if (config == null)
            {
                return "not a JSON object";
            }

            if (config["TargetTemperature"] is JsonNode target)
            {
                if (target is not JsonValue value || !value.TryGetValue(out double degrees) || degrees < -40 || degrees > 85)
                {
                    return "TargetTemperature must be a number from -40 to 85";
                }

                _climate.Target = degrees;
            }

            AppliedConfig = config;
            AppliedConfigId = file.ConfigId;
            return null;
        }

        /// <summary>Connects the application to the reporter that posts for it.</summary>
        public void Attach(ThingReporter reporter) => _reporter = reporter;

        /// <summary>Takes one sample: advances the climate and posts temperature and humidity (and the event).</summary>
        /// <returns>null when posted or buffered, otherwise why not.</returns>
        public string Sample()
        {
            if (Model.FindProperty("Temperature") == null || Model.FindProperty("Humidity") == null)
            {
                return "this product has no simulated climate (no Temperature and Humidity properties)";
            }

            double temperature = _climate.Step();
            Model.SetValue("Humidity", _climate.Humidity);
            Model.SetValue("Temperature", temperature);
            string problem = _reporter.PostProperties(new[] { "Temperature", "Humidity" });
            bool above = temperature > HighTemperatureLimit;
            if (above && !_aboveLimit && Model.FindEvent("HighTemperature") != null)
            {
                var outputs = new Hashtable { ["Temperature"] = temperature };
                _reporter.PostEvent("HighTemperature", outputs);
            }

            _aboveLimit = above;
            return problem;
        }

        private void SetHandler(string identifier, PropertySetHandler handler)
        {
            PropertyDefinition property = Model.FindProperty(identifier);
            if (property != null)
            {
                property.Setter = handler;
            }
        }

        private void Blink(ServiceDefinition service, Hashtable inputs, Hashtable outputs)
        {
            int times = inputs["Times"] is int n ? n : 1;
            Blinks += times;
            outputs["Blinked"] = times;
        }

        private void Diagnose(ServiceDefinition service, Hashtable inputs, Hashtable outputs)
        {
            outputs["UptimeSeconds"] = (int)(DateTime.UtcNow - _bootUtc).TotalSeconds;
            outputs["Version"] = _version;
        }
    }
}
