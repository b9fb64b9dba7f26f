namespace AliyunIot.Thing
{
    /// <summary>
    /// Data type of a property or parameter (the platform's TSL types). Values handed to application handlers are
    /// boxed as: Int and Enum → int, Float and Double → double, Bool → bool, Text → string, Date → long (UTC ms),
    /// Struct → Hashtable (member identifier → value), Array → object[] (element values).
    /// </summary>
    public enum PropertyType
    {
        /// <summary>32-bit integer (<c>int</c>).</summary>
        Int = 0,
        /// <summary>Single-precision number (<c>float</c> in TSL), written with the declared decimals.</summary>
        Float = 1,
        /// <summary>Double-precision number, written with the declared decimals.</summary>
        Double = 2,
        /// <summary>Boolean; 0 or 1 on the wire (true/false accepted on input).</summary>
        Bool = 3,
        /// <summary>Enumeration of integer values.</summary>
        Enum = 4,
        /// <summary>Text of limited length.</summary>
        Text = 5,
        /// <summary>UTC timestamp in milliseconds; a decimal string on the wire.</summary>
        Date = 6,
        /// <summary>JSON object of typed members (TSL <c>struct</c>; no nesting).</summary>
        Struct = 7,
        /// <summary>JSON array of up to 512 elements of one type (TSL <c>array</c>).</summary>
        Array = 8,
    }
}
