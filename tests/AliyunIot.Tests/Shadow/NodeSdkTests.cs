using System.Diagnostics;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Tests.Components;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Shadow
{
    /// <summary>
    /// The official Node.js device SDK (npm alibabacloud-iot-device-sdk 1.2.8, installed into tools/NodeSdk by
    /// tools/prerequisites.sh) gets replies from the local cloud for its tag and shadow calls: postTags, deleteTags,
    /// postShadow, getShadow, deleteShadow (tools/NodeSdk/shadow-tags.js). Skipped where node or the package is
    /// missing; never in CI, where the prerequisites install them.
    /// </summary>
    public sealed class NodeSdkTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder("node-sdk");
        private readonly CapturingLog _log = new CapturingLog();

        public void Dispose()
        {
            _log.Dispose();
            _temp.Dispose();
        }

        [NodeSdkFact]
        public void The_node_sdks_tag_and_shadow_calls_get_the_clouds_replies()
        {
            using LocalCloud cloud = CloudHosting.Start(_temp.Path, _log);
            RegisteredDevice device = cloud.Register(null, "node-0001");
            _log.Secret(device.DeviceSecret);

            var start = new ProcessStartInfo(NodeSdk.Node ?? throw new InvalidOperationException("node is not on PATH"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = NodeSdk.Folder,
            };
            start.ArgumentList.Add("shadow-tags.js");
            start.Environment["ALIYUN_PK"] = device.ProductKey;
            start.Environment["ALIYUN_DN"] = device.DeviceName;
            start.Environment["ALIYUN_DS"] = device.DeviceSecret;
            start.Environment["ALIYUN_BROKER"] = $"mqtts://{cloud.Broker.Host}:{cloud.Broker.TlsPort}";
            start.Environment["NODE_EXTRA_CA_CERTS"] = cloud.CaCertificatePath;
            using Process node = Process.Start(start)!;
            Task<string> stdout = node.StandardOutput.ReadToEndAsync();
            Task<string> stderr = node.StandardError.ReadToEndAsync();
            Assert.True(node.WaitForExit(60_000), "node did not finish within 60 s");
            string output = stdout.Result;
            SecretAssert.NotIn(device.DeviceSecret, output + stderr.Result, "the node SDK run's output");
            Assert.True(node.ExitCode == 0, $"exit {node.ExitCode}\n{output}\n{stderr.Result}\n{((TestBrokerHost)cloud.Broker).Broker.ReadLog()}");

            var replies = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonNode.Parse(line))
                .Where(line => line["reply"] != null)
                .ToDictionary(line => (string)line["step"], line => line["reply"]);
            Assert.Equal(200, (int)replies["postTags"]["code"]);
            Assert.Equal(200, (int)replies["deleteTags"]["code"]);
            Assert.Equal("success", (string)replies["postShadow"]["payload"]["status"]);
            long version = (long)replies["postShadow"]["payload"]["version"];
            Assert.Equal("eco", (string)replies["getShadow"]["payload"]["state"]["reported"]["mode"]);
            Assert.Equal(version, (long)replies["getShadow"]["version"]);
            Assert.Equal("success", (string)replies["deleteShadow"]["payload"]["status"]);

            Assert.Equal("{\"model\":\"NodeBox\"}", cloud.Tags.ToJson(device.ProductKey, device.DeviceName).ToJsonString());
            Assert.Equal("eco", (string)cloud.Shadows.Reported(device.ProductKey, device.DeviceName, "mode"));
            Assert.Null(cloud.Shadows.Reported(device.ProductKey, device.DeviceName, "level"));
        }
    }
}
