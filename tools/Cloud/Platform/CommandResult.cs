using System.Text.Json.Nodes;

namespace AliyunIot.Cloud.Platform
{
    /// <summary>The device's answer to a cloud command (property set, service call, RRPC).</summary>
    public sealed class CommandResult
    {
        /// <summary>Reply code (200 = success); 0 when no answer arrived in time or the command was refused locally.</summary>
        public int Code { get; init; }

        /// <summary>Reply message, or why the command failed.</summary>
        public string Message { get; init; }

        /// <summary>Reply <c>data</c>, or null.</summary>
        public JsonNode Data { get; init; }

        /// <summary>Milliseconds from publish to reply.</summary>
        public long ElapsedMs { get; init; }

        /// <summary>Topic the request was published on.</summary>
        public string RequestTopic { get; init; }

        /// <summary>Topic the reply arrived on, or null.</summary>
        public string ReplyTopic { get; init; }

        /// <summary>True when the device answered 200.</summary>
        public bool Succeeded => Code == 200;

        /// <summary>JSON form for the CLI.</summary>
        public JsonObject ToJson() => new JsonObject
        {
            ["code"] = Code,
            ["message"] = Message,
            ["data"] = Data?.DeepClone(),
            ["elapsedMs"] = ElapsedMs,
            ["requestTopic"] = RequestTopic,
            ["replyTopic"] = ReplyTopic,
        };

        /// <summary>Reads the JSON form.</summary>
        public static CommandResult FromJson(JsonNode json) => new CommandResult
        {
            Code = (int?)json?["code"] ?? 0,
            Message = (string)json?["message"],
            Data = json?["data"]?.DeepClone(),
            ElapsedMs = (long?)json?["elapsedMs"] ?? 0,
            RequestTopic = (string)json?["requestTopic"],
            ReplyTopic = (string)json?["replyTopic"],
        };
    }
}
