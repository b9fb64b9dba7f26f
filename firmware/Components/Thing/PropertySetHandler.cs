namespace AliyunIot.Thing
{
    /// <summary>
    /// Applies a validated value the cloud set (drive a relay, change a set point). Runs on the session's worker
    /// thread. Return null when applied, otherwise why not (answered with code 400 naming the property); throw
    /// <see cref="ThingHandlerException"/> to answer with a device-defined code.
    /// </summary>
    /// <param name="property">The property being set.</param>
    /// <param name="value">The validated value, boxed as described on <see cref="PropertyType"/>.</param>
    public delegate string PropertySetHandler(PropertyDefinition property, object value);
}
