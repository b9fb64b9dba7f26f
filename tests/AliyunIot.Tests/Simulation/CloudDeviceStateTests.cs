using System.Text.Json.Nodes;
using AliyunIot.Cloud.Platform;
using Xunit;

namespace AliyunIot.Tests.Simulation
{
    /// <summary>
    /// What the console's device page shows comes from <see cref="DeviceState"/>: a per-device OTA job list (a new push
    /// no longer erases the last job) and a short history per property, both bounded.
    /// </summary>
    public sealed class CloudDeviceStateTests
    {
        private readonly DeviceState _state = new DeviceState("a1SimLamp01", "state-0001");

        [Fact]
        public void A_new_push_keeps_the_unfinished_job_in_the_list_as_canceled_with_the_reason()
        {
            _state.StartJob(Job("1.1.0"));
            _state.RecordProgress(10, "downloading");
            _state.StartJob(Job("1.2.0"));

            JsonObject json = _state.ToJson();
            JsonArray jobs = json["otaJobs"].AsArray();
            Assert.Equal(new[] { "1.2.0", "1.1.0" }, jobs.Select(j => (string)j["version"]));
            Assert.Null((string)jobs[0]["outcome"]);
            Assert.Equal("canceled", (string)jobs[1]["outcome"]);
            Assert.Equal("replaced by the job for version 1.2.0", (string)jobs[1]["failureDescription"]);
            Assert.Equal(10, (int)jobs[1]["progress"]);
            Assert.NotNull((string)jobs[1]["finishedUtc"]);
            Assert.Equal("1.2.0", (string)json["ota"]["version"]);
            Assert.Empty(json["ota"]["steps"].AsArray());
            Assert.Empty(_state.OtaSteps());
        }

        [Fact]
        public void Each_job_keeps_its_own_outcome_and_progress()
        {
            _state.StartJob(Job("1.1.0"));
            _state.RecordProgress(50, "downloading");
            _state.RecordProgress(100, "done");
            _state.RecordVersion("1.1.0");
            _state.StartJob(Job("1.2.0"));
            _state.RecordProgress(40, "downloading");
            _state.RecordProgress(-3, "verify failed");

            JsonArray jobs = _state.ToJson()["otaJobs"].AsArray();
            Assert.Equal("failed", (string)jobs[0]["outcome"]);
            Assert.Equal(-3, (int)jobs[0]["failureStep"]);
            Assert.Equal(-3, (int)jobs[0]["lastStep"]);
            Assert.Equal(40, (int)jobs[0]["progress"]);
            Assert.Equal("verify failed", (string)jobs[0]["failureDescription"]);
            Assert.Equal("succeeded", (string)jobs[1]["outcome"]);
            Assert.Equal(100, (int)jobs[1]["progress"]);
            Assert.Null(jobs[1]["failureStep"]);
            Assert.Equal(new[] { 40, -3 }, _state.OtaSteps());
        }

        [Fact]
        public void The_job_list_keeps_the_newest_jobs_only()
        {
            for (int i = 1; i <= DeviceState.MaxJobs + 5; i++)
            {
                _state.StartJob(Job("1.0." + i));
            }

            JsonArray jobs = _state.ToJson()["otaJobs"].AsArray();
            Assert.Equal(DeviceState.MaxJobs, jobs.Count);
            Assert.Equal("1.0.25", (string)jobs[0]["version"]);
            Assert.Equal("1.0.6", (string)jobs[jobs.Count - 1]["version"]);
        }

        [Fact]
        public void Progress_without_a_job_is_ignored()
        {
            _state.RecordProgress(50, "downloading");

            Assert.Empty(_state.OtaSteps());
            Assert.Null(_state.ToJson()["ota"]);
            Assert.Empty(_state.ToJson()["otaJobs"].AsArray());
        }

        [Fact]
        public void Each_property_keeps_its_last_values_oldest_first()
        {
            for (int i = 1; i <= DeviceState.HistoryLength + 2; i++)
            {
                // Both forms a device may post: bare, and {"value":..,"time":..}.
                _state.RecordProperties(i % 2 == 0
                    ? new JsonObject { ["Brightness"] = i }
                    : new JsonObject { ["Brightness"] = new JsonObject { ["value"] = i, ["time"] = 1700000000000L } });
            }

            Assert.Equal(Enumerable.Range(3, DeviceState.HistoryLength), _state.History("Brightness").Select(v => (int)v));
            JsonArray history = _state.ToJson()["properties"]["Brightness"]["history"].AsArray();
            Assert.Equal(DeviceState.HistoryLength, history.Count);
            Assert.Equal(12, (int)history[history.Count - 1]["value"]);
            Assert.NotNull((string)history[0]["timeUtc"]);
            Assert.Empty(_state.History("Temperature"));
        }

        private static OtaJob Job(string version) => new OtaJob { Version = version, Size = 1, SignMethod = "SHA256" };
    }
}
