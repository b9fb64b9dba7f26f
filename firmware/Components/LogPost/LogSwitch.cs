using System.Collections;
using AliyunIot.Json;

namespace AliyunIot.LogPost
{
    /// <summary>
    /// Reads the cloud's log switch. get_reply: <c>{"id":"3","code":200,"data":{"getType":"content","content":{"mode":1}}}</c>;
    /// push: <c>{"id":"4","version":"1.0","params":{"getType":"content","content":{"mode":0}},"method":"thing.config.log.push"}</c>
    /// (https://help.aliyun.com/document_detail/159857.html; Link SDK 4.x _logpost_config_data_handler reads "mode").
    /// The documentation calls content "configuration text", so a JSON string holding the object is accepted too.
    /// Extension of this project's local cloud: an optional <c>content.logLevel</c> (DEBUG, INFO, WARN, ERROR) sets
    /// the lowest level posted; the real platform sends only mode, and the device then uses device.json's level.
    /// </summary>
    public static class LogSwitch
    {
        /// <summary>Parses a switch message.</summary>
        /// <param name="payload">The message.</param>
        /// <param name="push">true for a push (params), false for a get_reply (code, data).</param>
        /// <param name="maxBytes">Largest accepted message.</param>
        /// <param name="enabled">mode == 1.</param>
        /// <param name="level">The level from content.logLevel, or -1.</param>
        /// <returns>null when read; otherwise why the message is ignored.</returns>
        public static string Read(byte[] payload, bool push, int maxBytes, out bool enabled, out int level)
        {
            enabled = false;
            level = -1;
            string problem = JsonGuard.Check(payload, 0, payload == null ? 0 : payload.Length, maxBytes, 6);
            if (problem != null)
            {
                return problem;
            }

            Hashtable root = JsonTree.Parse(payload, 0, payload.Length, 6, out problem) as Hashtable;
            if (root == null)
            {
                return problem != null ? problem : "expected a JSON object";
            }

            if (!push)
            {
                long code;
                if (!JsonValues.TryToLong(JsonValues.Get(root, "code"), out code))
                {
                    return "field code: expected integer";
                }

                if (code != 200)
                {
                    return "the cloud answered code " + code.ToString();
                }
            }

            Hashtable body = JsonValues.Get(root, push ? "params" : "data") as Hashtable;
            if (body == null)
            {
                return "field " + (push ? "params" : "data") + ": expected object";
            }

            object content = JsonValues.Get(body, "content");
            if (content is string)
            {
                content = JsonTree.Parse((string)content, 4, out problem);
            }

            Hashtable settings = content as Hashtable;
            if (settings == null)
            {
                return "field content: expected object";
            }

            long mode;
            if (!JsonValues.TryToLong(JsonValues.Get(settings, "mode"), out mode) || (mode != 0 && mode != 1))
            {
                return "field mode: expected 0 or 1";
            }

            object levelName = JsonValues.Get(settings, "logLevel");
            if (levelName != null)
            {
                level = LogLevelNames.Parse(levelName as string);
                if (level < 0)
                {
                    return "field logLevel: expected DEBUG, INFO, WARN or ERROR";
                }
            }

            enabled = mode == 1;
            return null;
        }
    }
}
