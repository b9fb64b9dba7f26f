using System.Globalization;
using AliyunIot.Cloud.Tsl;
using AliyunIot.Thing;

namespace AliyunIot.Simulator.Device
{
    /// <summary>
    /// Builds the device-side <see cref="ThingModel"/> from the same TSL document the cloud registers for the
    /// product, so the simulated device and the local cloud can never disagree about the model.
    /// </summary>
    public static class ThingModelFromTsl
    {
        /// <summary>Properties, services and events of <paramref name="tsl"/> as device definitions (no handlers).</summary>
        public static ThingModel Build(ThingModelDefinition tsl)
        {
            var model = new ThingModel();
            foreach (TslParameter property in tsl.Properties)
            {
                model.AddProperty(Definition(property, property.Writable ? PropertyAccess.ReadWrite : PropertyAccess.ReadOnly));
            }

            foreach (TslService e in tsl.Events)
            {
                var definition = new EventDefinition(e.Identifier);
                foreach (TslParameter output in e.Output)
                {
                    definition.AddOutput(Definition(output, PropertyAccess.ReadWrite));
                }

                model.AddEvent(definition);
            }

            return model;
        }

        /// <summary>A service definition of the TSL with its inputs and outputs (the caller adds the handler).</summary>
        public static ServiceDefinition Service(ThingModelDefinition tsl, string identifier)
        {
            TslService service = tsl.FindService(identifier) ?? throw new ArgumentException("no service " + identifier);
            var definition = new ServiceDefinition(service.Identifier, service.Synchronous);
            foreach (TslParameter input in service.Input)
            {
                definition.AddInput(Definition(input, PropertyAccess.ReadWrite));
            }

            foreach (TslParameter output in service.Output)
            {
                definition.AddOutput(Definition(output, PropertyAccess.ReadWrite));
            }

            return definition;
        }

        private static PropertyDefinition Definition(TslParameter p, PropertyAccess access)
        {
            TslDataType t = p.DataType;
            switch (t.Type)
            {
                case "int":
                    return PropertyDefinition.Int(p.Identifier, (int)Math.Max(int.MinValue, t.Min ?? int.MinValue), (int)Math.Min(int.MaxValue, t.Max ?? int.MaxValue), access);
                case "float":
                    return PropertyDefinition.Float(p.Identifier, t.Min ?? float.MinValue, t.Max ?? float.MaxValue, t.Decimals ?? 1, access);
                case "double":
                    return PropertyDefinition.Double(p.Identifier, t.Min ?? double.MinValue, t.Max ?? double.MaxValue, t.Decimals ?? 2, access);
                case "bool":
                    return PropertyDefinition.Bool(p.Identifier, access);
                case "enum":
                    return PropertyDefinition.Enum(p.Identifier, t.EnumNames.Keys.Select(k => int.Parse(k, CultureInfo.InvariantCulture)).ToArray(), access);
                case "text":
                    return PropertyDefinition.Text(p.Identifier, t.MaxLength ?? 2048, access);
                case "date":
                    return PropertyDefinition.Date(p.Identifier, access);
                case "struct":
                    return PropertyDefinition.Struct(p.Identifier, t.Members.Select(m => Definition(m, access)).ToArray(), access);
                case "array":
                    // A TSL array item has no identifier of its own; the device model ignores the one given here.
                    return PropertyDefinition.Array(p.Identifier, Definition(new TslParameter("item", t.Item, true), access), t.Size ?? 512, access);
                default:
                    throw new NotSupportedException($"{p.Identifier}: TSL type {t.Type} is not supported by the device's thing model");
            }
        }
    }
}
