using System.Collections;
using AliyunIot.Ports;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// An <see cref="IWifiAdapter"/> that plays a script and records every call: what the ESP32's WifiNetworkHelper
    /// would answer (join or not, the stored configuration), without a radio. <see cref="Calls"/> holds "join",
    /// "reconnect" and "stored?" in order; every join writes the stored configuration, as ConnectDhcp does.
    /// </summary>
    internal sealed class ScriptedWifiAdapter : IWifiAdapter
    {
        private readonly ArrayList _answers = new ArrayList();

        /// <summary>Every call, in order.</summary>
        public readonly ArrayList Calls = new ArrayList();

        /// <summary>The SSID in the stored configuration block (nanoff --networkdeployment, or the last full join).</summary>
        public string StoredSsid;

        /// <summary>The password in the stored configuration block.</summary>
        public string StoredPassword;

        /// <summary>The SSID of the last full join, or null.</summary>
        public string JoinedSsid;

        /// <summary>Flash writes of the configuration block (one per full join).</summary>
        public int ConfigurationWrites;

        /// <summary>What <see cref="IsConnected"/> answers.</summary>
        public bool Connected;

        /// <summary>Queues the answers of the next join/reconnect calls (true: address obtained); unscripted calls fail.</summary>
        public void Answer(params bool[] joined)
        {
            for (int i = 0; i < joined.Length; i++)
            {
                _answers.Add(joined[i]);
            }
        }

        /// <summary>How many calls of <paramref name="kind"/> ("join", "reconnect") were made.</summary>
        public int Count(string kind)
        {
            int count = 0;
            for (int i = 0; i < Calls.Count; i++)
            {
                if ((string)Calls[i] == kind)
                {
                    count++;
                }
            }

            return count;
        }

        /// <inheritdoc />
        public bool IsConnected
        {
            get { return Connected; }
        }

        /// <inheritdoc />
        public string LastFailure { get; private set; }

        /// <inheritdoc />
        public bool StoredConfigurationIs(string ssid, string password)
        {
            Calls.Add("stored?");
            return StoredSsid == ssid && StoredPassword == password;
        }

        /// <inheritdoc />
        public bool Join(string ssid, string password, int timeoutMs)
        {
            Calls.Add("join");

            // ConnectDhcp saves the configuration before it connects, whether or not the join then succeeds.
            JoinedSsid = ssid;
            StoredSsid = ssid;
            StoredPassword = password;
            ConfigurationWrites++;
            return Next();
        }

        /// <inheritdoc />
        public bool Reconnect(int timeoutMs)
        {
            Calls.Add("reconnect");
            return Next();
        }

        private bool Next()
        {
            bool joined = false;
            if (_answers.Count > 0)
            {
                joined = (bool)_answers[0];
                _answers.RemoveAt(0);
            }

            Connected = joined;
            LastFailure = joined ? null : "timed out waiting for an IP address";
            return joined;
        }
    }
}
