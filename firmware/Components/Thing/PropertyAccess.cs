namespace AliyunIot.Thing
{
    /// <summary>Who may change a property.</summary>
    public enum PropertyAccess
    {
        /// <summary>Only the device reports it; a cloud set is refused with 460.</summary>
        ReadOnly = 0,
        /// <summary>The cloud may set it (through the property's setter).</summary>
        ReadWrite = 1,
    }
}
