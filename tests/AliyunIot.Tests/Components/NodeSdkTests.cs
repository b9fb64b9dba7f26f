using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using AliyunIot.Cloud.Hosting;
using AliyunIot.Cloud.Platform;
using AliyunIot.Cloud.Registry;
using AliyunIot.Tests.Guard;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Components
{
    /// <summary>
    /// The official Node SDK (aliyun/alibabacloud-iot-device-sdk 1.2.8, tools/NodeSdk) against the local cloud: its
    /// getConfig connects with its own signing (clientId with securemode=2, hmacsha1) and gets the platform's answer.
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
        public void The_node_sdks_getConfig_gets_the_products_config_offer()
        {
            using LocalCloud cloud = CloudHosting.Start(_temp.Sub("cloud"), _log);
            RegisteredDevice device = cloud.Register(null, "node-cfg-01");
            _log.Secret(device.DeviceSecret);
            byte[] content = Encoding.UTF8.GetBytes("{\"TargetTemperature\":20.0}");
            string configId = cloud.RemoteConfig.Set(device.ProductKey, content);

            string output = NodeSdk.Run("remote-config.js", device.ConfigPath, cloud.CaCertificatePath);

            JsonNode reply = JsonNode.Parse(output.Trim());
            Assert.Equal(200, (int)reply["code"]);
            Assert.Equal("thing.config.get", (string)reply["method"]);
            Assert.Equal(configId, (string)reply["data"]["configId"]);
            Assert.Equal(content.Length, (int)reply["data"]["configSize"]);
            Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(content)).ToLowerInvariant(), (string)reply["data"]["sign"]);
            Assert.StartsWith("https://localhost:", (string)reply["data"]["url"]);
            SecretAssert.NotIn(device.DeviceSecret, output, "the Node SDK's output");
        }
    }

    /// <summary>
    /// A fact that needs Node.js and tools/NodeSdk/node_modules: skipped (with the reason) where they are missing,
    /// never in CI (CI=true), where tools/test.sh installs them (ensure_node_sdk) and a missing one fails the test.
    /// </summary>
    public sealed class NodeSdkFactAttribute : FactAttribute
    {
        public NodeSdkFactAttribute()
        {
            Skip = NodeSdk.SkipReason;
        }
    }

    /// <summary>Runs a script of tools/NodeSdk with node (the remote-config and the shadow/tags checks).</summary>
    internal static class NodeSdk
    {
        public static readonly string Folder = Path.Combine(GuardHarness.RepositoryRoot, "tools", "NodeSdk");

        /// <summary>The node executable on PATH, or null.</summary>
        public static string Node => Find("node");

        public static string SkipReason =>
            Available || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
                ? null
                : "node or tools/NodeSdk/node_modules missing (tools/test.sh installs them: ensure_node_sdk)";

        private static bool Available =>
            Directory.Exists(Path.Combine(Folder, "node_modules", "alibabacloud-iot-device-sdk")) && Find("node") != null;

        /// <summary>Runs <paramref name="script"/> with the device's config, trusting <paramref name="caPath"/>; returns stdout.</summary>
        public static string Run(string script, string deviceConfig, string caPath)
        {
            var start = new ProcessStartInfo(Find("node") ?? throw new InvalidOperationException("node is not on PATH"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Folder,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(deviceConfig);
            start.Environment["NODE_EXTRA_CA_CERTS"] = caPath;
            using var process = Process.Start(start)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("node did not finish within 60 s");
            }

            Assert.True(process.ExitCode == 0, "node exited " + process.ExitCode + ": " + stdout.Result + stderr.Result);
            return stdout.Result;
        }

        private static string Find(string name)
        {
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            {
                if (dir.Length > 0 && File.Exists(Path.Combine(dir, name)))
                {
                    return Path.Combine(dir, name);
                }
            }

            return null;
        }
    }
}
