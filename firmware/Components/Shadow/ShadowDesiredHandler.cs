using System.Collections;

namespace AliyunIot.Shadow
{
    /// <summary>
    /// Applies a desired state the cloud set (a <c>control</c> push, or the desired part of a get reply). Runs on the
    /// session's worker thread.
    /// </summary>
    /// <param name="desired">The desired attributes (values as <see cref="AliyunIot.Json.JsonTree"/> builds them).</param>
    /// <param name="version">The shadow version the desired state belongs to.</param>
    /// <returns>
    /// The attributes actually applied: the component reports them and clears the desired state. Null leaves the
    /// desired state in the cloud (nothing is acknowledged).
    /// </returns>
    public delegate System.Collections.Hashtable ShadowDesiredHandler(Hashtable desired, long version);
}
