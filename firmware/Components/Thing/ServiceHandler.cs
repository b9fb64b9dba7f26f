using System.Collections;

namespace AliyunIot.Thing
{
    /// <summary>
    /// Runs a service the cloud called. <paramref name="inputs"/> holds the validated input parameters that were
    /// sent (identifier → value boxed as on <see cref="PropertyType"/>); put output parameters into
    /// <paramref name="outputs"/> the same way. Throw <see cref="ThingHandlerException"/> to answer with a chosen
    /// code; any other exception is answered with 400 and logged, and the dispatcher carries on.
    /// </summary>
    public delegate void ServiceHandler(ServiceDefinition service, Hashtable inputs, Hashtable outputs);
}
