using System.Collections;
using AliyunIot.Config;
using AliyunIot.LogPost;
using AliyunIot.Ports;
using AliyunIot.RemoteConfig;
using AliyunIot.Tests.Support;
using Xunit;

namespace AliyunIot.Tests.Components
{
    /// <summary>The remoteConfig and logPost sections of device.json: defaults, values, and refusals naming the field.</summary>
    public sealed class ComponentSettingsTests
    {
        [Fact]
        public void Absent_sections_give_the_documented_defaults()
        {
            RemoteConfigSettings remote = RemoteConfigSettings.Parse(null);
            Assert.Equal(65536, remote.MaxBytes);
            Assert.Equal(1024, remote.ChunkSize);
            LogPostSettings log = LogPostSettings.Parse(null);
            Assert.Equal(LogLevel.Warning, log.Level);
            Assert.Equal(10000, log.IntervalMs);
            Assert.Equal(2048, log.MaxBytesPerInterval);
        }

        [Fact]
        public void Sections_from_device_json_are_read()
        {
            var remote = RemoteConfigSettings.Parse((Hashtable)CoreJson.Parse("{\"maxBytes\":4096,\"chunkSize\":512,\"attempts\":5}"));
            Assert.Equal(4096, remote.MaxBytes);
            Assert.Equal(512, remote.ChunkSize);
            Assert.Equal(5, remote.Attempts);
            var log = LogPostSettings.Parse((Hashtable)CoreJson.Parse("{\"level\":\"info\",\"intervalMs\":2000,\"maxLines\":8}"));
            Assert.Equal(LogLevel.Info, log.Level);
            Assert.Equal(2000, log.IntervalMs);
            Assert.Equal(8, log.MaxLines);
        }

        [Theory]
        [InlineData("remoteConfig", "{\"maxBytes\":1}", "remoteConfig.maxBytes", "must be an integer from 16 to 1048576")]
        [InlineData("remoteConfig", "{\"chunkSize\":\"big\"}", "remoteConfig.chunkSize", "must be an integer from 256 to 16384")]
        [InlineData("logPost", "{\"level\":\"loud\"}", "logPost.level", "must be \"debug\", \"info\", \"warn\" or \"error\"")]
        [InlineData("logPost", "{\"intervalMs\":10}", "logPost.intervalMs", "must be an integer from 1000 to 3600000")]
        public void A_bad_field_is_refused_by_name(string section, string json, string field, string message)
        {
            var table = (Hashtable)CoreJson.Parse(json);
            ConfigException e = Assert.Throws<ConfigException>(() =>
            {
                if (section == "remoteConfig")
                {
                    RemoteConfigSettings.Parse(table);
                }
                else
                {
                    LogPostSettings.Parse(table);
                }
            });
            Assert.Equal(field, e.Field);
            Assert.Contains(message, e.Message);
        }
    }
}
