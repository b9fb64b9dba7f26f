namespace AliyunIot.Json
{
    /// <summary>What <see cref="JsonReader.Read"/> stopped on.</summary>
    public enum JsonToken
    {
        /// <summary>Nothing read yet.</summary>
        None = 0,
        /// <summary><c>{</c></summary>
        StartObject = 1,
        /// <summary><c>}</c></summary>
        EndObject = 2,
        /// <summary><c>[</c></summary>
        StartArray = 3,
        /// <summary><c>]</c></summary>
        EndArray = 4,
        /// <summary>A member name (the colon after it is consumed).</summary>
        PropertyName = 5,
        /// <summary>A string value.</summary>
        String = 6,
        /// <summary>A number value.</summary>
        Number = 7,
        /// <summary><c>true</c></summary>
        True = 8,
        /// <summary><c>false</c></summary>
        False = 9,
        /// <summary><c>null</c></summary>
        Null = 10,
        /// <summary>The single root value is complete and only whitespace follows.</summary>
        EndOfDocument = 11,
        /// <summary>The text is not JSON (or too deep); <see cref="JsonReader.Problem"/> says why.</summary>
        Error = 12,
    }
}
