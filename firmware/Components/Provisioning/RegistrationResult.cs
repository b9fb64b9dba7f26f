using AliyunIot.Config;

namespace AliyunIot.Provisioning
{
    /// <summary>The result of <see cref="DynamicRegistration.EnsureRegistered"/>. Holds no secret other than inside <see cref="Config"/>.</summary>
    public sealed class RegistrationResult
    {
        /// <summary>Creates a result.</summary>
        public RegistrationResult(RegistrationOutcome outcome, DeviceConfig config, int code, string detail)
        {
            Outcome = outcome;
            Config = config;
            Code = code;
            Detail = detail;
        }

        /// <summary>How it ended.</summary>
        public RegistrationOutcome Outcome { get; private set; }

        /// <summary>The config to connect with: re-read from the store after persisting (Registered), the input (AlreadyProvisioned), or null.</summary>
        public DeviceConfig Config { get; private set; }

        /// <summary>Platform code (HTTPS <c>code</c>), HTTP status, or CONNACK reason; 0 when none.</summary>
        public int Code { get; private set; }

        /// <summary>What happened, without secrets.</summary>
        public string Detail { get; private set; }

        /// <summary>True when <see cref="Config"/> can be used to connect.</summary>
        public bool Succeeded
        {
            get { return Outcome == RegistrationOutcome.Registered || Outcome == RegistrationOutcome.AlreadyProvisioned; }
        }
    }
}
