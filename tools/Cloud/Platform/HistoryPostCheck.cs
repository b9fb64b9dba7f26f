using System.Text.Json;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Tsl;

namespace AliyunIot.Cloud.Platform
{
    /// <summary>
    /// Checks a device's <c>thing.event.property.history.post</c> the way the platform documents it (Alink page
    /// "Device properties, events, and services", section "Report the historical data of a TSL model",
    /// https://help.aliyun.com/document_detail/89301.html): <c>params</c> is an array of blocks
    /// <c>{"identity":{"productKey","deviceName"},"properties":[{id:{value,time}},..],"events":[{id:{value,time}},..]}</c>;
    /// a directly connected device reports only its own data (identity = the topic's device); every value is checked
    /// against the thing model. Refusals: 460 (layout, identity, missing time), 6106 (200 or more readings in one
    /// message, the platform's map-size limit), and the thing model's 6xxx codes. Nothing is recorded unless the
    /// whole post is accepted.
    /// </summary>
    public static class HistoryPostCheck
    {
        /// <summary>Most readings one history post may carry (the platform refuses a map of 200 with 6106).</summary>
        public const int MaxReadings = 199;

        /// <summary>One accepted reading: property or event, its identifier, value and the time the device took it.</summary>
        /// <param name="IsEvent">True for an event.</param>
        /// <param name="Identifier">Property or event identifier.</param>
        /// <param name="Value">The value (event: its output object).</param>
        /// <param name="TimeMs">UTC milliseconds the device gave.</param>
        public sealed record Reading(bool IsEvent, string Identifier, JsonNode Value, long TimeMs);

        /// <summary>Checks <paramref name="parameters"/>; on success <paramref name="readings"/> holds them in order.</summary>
        public static TslViolation Check(ThingModelDefinition model, string productKey, string deviceName, JsonNode parameters, out List<Reading> readings)
        {
            readings = new List<Reading>();
            if (parameters is not JsonArray blocks || blocks.Count == 0)
            {
                return new TslViolation(TslCodes.RequestParameterError, "request parameter error: params must be a non-empty array of {identity, properties, events}");
            }

            foreach (JsonNode node in blocks)
            {
                if (node is not JsonObject block || block["identity"] is not JsonObject identity)
                {
                    return new TslViolation(TslCodes.RequestParameterError, "request parameter error: each params entry needs an identity object");
                }

                if (Text(identity["productKey"]) != productKey || Text(identity["deviceName"]) != deviceName)
                {
                    return new TslViolation(TslCodes.RequestParameterError, "request parameter error: identity must name the reporting device");
                }

                TslViolation violation = Collect(model, block["properties"], false, readings) ?? Collect(model, block["events"], true, readings);
                if (violation != null)
                {
                    return violation;
                }

                if (readings.Count > MaxReadings)
                {
                    return new TslViolation(TslCodes.MapSizeTooLarge, "map size must less than 200");
                }
            }

            return readings.Count == 0
                ? new TslViolation(TslCodes.RequestParameterError, "request parameter error: no properties or events")
                : null;
        }

        private static TslViolation Collect(ThingModelDefinition model, JsonNode list, bool events, List<Reading> readings)
        {
            if (list == null)
            {
                return null;
            }

            string field = events ? "events" : "properties";
            if (list is not JsonArray groups)
            {
                return new TslViolation(TslCodes.RequestParameterError, $"request parameter error: {field} must be an array of objects");
            }

            foreach (JsonNode groupNode in groups)
            {
                if (groupNode is not JsonObject group)
                {
                    return new TslViolation(TslCodes.RequestParameterError, $"request parameter error: {field} must be an array of objects");
                }

                foreach (var pair in group)
                {
                    if (pair.Value is not JsonObject entry || entry["value"] == null || entry["time"] is not JsonValue time
                        || time.GetValueKind() != JsonValueKind.Number || !time.TryGetValue(out long timeMs))
                    {
                        return new TslViolation(TslCodes.RequestParameterError, $"request parameter error: {field}.{pair.Key} needs value and a numeric time");
                    }

                    TslViolation violation = events
                        ? model.CheckEventPost(pair.Key, entry)
                        : model.CheckPropertyPost(new JsonObject { [pair.Key] = entry.DeepClone() });
                    if (violation != null)
                    {
                        return violation;
                    }

                    readings.Add(new Reading(events, pair.Key, entry["value"].DeepClone(), timeMs));
                }
            }

            return null;
        }

        private static string Text(JsonNode node) =>
            node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
    }
}
