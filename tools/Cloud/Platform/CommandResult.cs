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

        /// <summary>RRPC outcome as the platform's RRpc API names it (SUCCESS, TIMEOUT, OFFLINE); null for other commands.</summary>
        public string RrpcCode { get; init; }

        /// <summary>An RRPC answer's payload as sent by the device (UTF-8), or null.</summary>
        public string Payload { get; init; }

        /// <summary>RRpc API outcome: the device answered.</summary>
        public const string RrpcSuccess = "SUCCESS";

        /// <summary>RRpc API outcome: no answer within the window.</summary>
        public const string RrpcTimeout = "TIMEOUT";

        /// <summary>RRpc API outcome: the device was not connected (answered at once).</summary>
        public const string RrpcOffline = "OFFLINE";

        /// <summary>
        /// True when the device answered 200; for RRPC, also when it answered with a payload that carries no Alink
        /// code (the platform hands any answer back as a success).
        /// </summary>
        public bool Succeeded => Code == 200 || (RrpcCode == RrpcSuccess && Code == 0);

        /// <summary>JSON form for the CLI.</summary>
        public JsonObject ToJson() => new JsonObject
        {
            ["code"] = Code,
            ["message"] = Message,
            ["data"] = Data?.DeepClone(),
            ["elapsedMs"] = ElapsedMs,
            ["requestTopic"] = RequestTopic,
            ["replyTopic"] = ReplyTopic,
            ["rrpcCode"] = RrpcCode,
            ["payload"] = Payload,
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
            RrpcCode = (string)json?["rrpcCode"],
            Payload = (string)json?["payload"],
        };
    }
}
