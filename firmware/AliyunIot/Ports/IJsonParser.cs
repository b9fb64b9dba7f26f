namespace AliyunIot.Ports
{
    /// <summary>
    /// Parses JSON text into the shapes nanoFramework.Json produces for <c>typeof(Hashtable)</c>:
    /// objects are <see cref="System.Collections.Hashtable"/>, arrays <see cref="System.Collections.ArrayList"/>,
    /// strings <see cref="string"/>, numbers <see cref="int"/>, <see cref="long"/> or <see cref="double"/>
    /// (double whenever the literal has a fraction or exponent), true/false <see cref="bool"/>, null <c>null</c>.
    /// The core never hands it text that failed <c>AliyunIot.Json.JsonGuard</c> (size, depth).
    /// </summary>
    public interface IJsonParser
    {
        /// <summary>Parses <paramref name="json"/>.</summary>
        /// <exception cref="System.Exception">Any exception means "malformed"; the caller treats them all alike.</exception>
        object Parse(string json);
    }
}
