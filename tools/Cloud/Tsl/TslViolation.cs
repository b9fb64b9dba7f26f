namespace AliyunIot.Cloud.Tsl
{
    /// <summary>Why a post or a command breaks the thing model: the reply code and a message naming the field.</summary>
    public sealed class TslViolation
    {
        /// <summary>Creates a violation.</summary>
        public TslViolation(int code, string message)
        {
            Code = code;
            Message = message;
        }

        /// <summary>The 6xxx reply code (see <see cref="TslCodes"/>).</summary>
        public int Code { get; }

        /// <summary>Which field and why.</summary>
        public string Message { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Code} {Message}";
    }
}
