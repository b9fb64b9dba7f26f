namespace AliyunIot.Json
{
    /// <summary>
    /// A cheap single pass over untrusted JSON bytes before any parser sees them: size, nesting depth, balanced
    /// brackets, terminated strings, no raw control characters inside strings, well-formed UTF-8, one top-level
    /// object or array and nothing after it. <see cref="JsonReader"/> enforces the same again while it reads; the
    /// guard is the first fence on the network path and allocates nothing.
    /// </summary>
    public static class JsonGuard
    {
        /// <summary>Nesting accepted by default: Alink messages need 4 (envelope, params, value object, struct).</summary>
        public const int DefaultMaxDepth = 8;

        /// <summary>Hard ceiling for <c>maxDepth</c>: the bracket stack is a 64-bit mask.</summary>
        public const int MaxSupportedDepth = 64;

        /// <summary>
        /// Checks <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.
        /// </summary>
        /// <param name="data">UTF-8 JSON.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <param name="maxBytes">Largest accepted size.</param>
        /// <param name="maxDepth">Deepest accepted nesting (1 = a flat object), at most <see cref="MaxSupportedDepth"/>.</param>
        /// <returns>null when the text may be parsed, otherwise why it may not (safe to log: no payload text).</returns>
        public static string Check(byte[] data, int offset, int count, int maxBytes, int maxDepth)
        {
            if (data == null || count <= 0)
            {
                return "empty payload";
            }

            if (offset < 0 || count > data.Length - offset)
            {
                return "bad range";
            }

            if (count > maxBytes)
            {
                return "payload of " + count.ToString() + " bytes exceeds " + maxBytes.ToString();
            }

            if (maxDepth > MaxSupportedDepth)
            {
                maxDepth = MaxSupportedDepth;
            }

            // Bit i of 'objects' is 1 when nesting level i+1 is an object, 0 when an array.
            ulong objects = 0;
            int depth = 0;
            bool inString = false;
            bool escaped = false;
            bool started = false;
            bool finished = false;
            int continuation = 0;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                byte b = data[i];

                // UTF-8 structure: lead byte announces 1..3 continuation bytes of the form 10xxxxxx.
                if (continuation > 0)
                {
                    if ((b & 0xC0) != 0x80)
                    {
                        return "invalid UTF-8 at byte " + (i - offset).ToString();
                    }

                    continuation--;
                    continue;
                }

                if (b >= 0x80)
                {
                    if (!inString)
                    {
                        return "non-ASCII byte outside a string at byte " + (i - offset).ToString();
                    }

                    if ((b & 0xE0) == 0xC0 && b >= 0xC2)
                    {
                        continuation = 1;
                    }
                    else if ((b & 0xF0) == 0xE0)
                    {
                        continuation = 2;
                    }
                    else if ((b & 0xF8) == 0xF0 && b <= 0xF4)
                    {
                        continuation = 3;
                    }
                    else
                    {
                        return "invalid UTF-8 at byte " + (i - offset).ToString();
                    }

                    escaped = false;
                    continue;
                }

                if (inString)
                {
                    if (escaped)
                    {
                        escaped = false;
                    }
                    else if (b == (byte)'\\')
                    {
                        escaped = true;
                    }
                    else if (b == (byte)'"')
                    {
                        inString = false;
                    }
                    else if (b < 0x20)
                    {
                        return "control character in a string at byte " + (i - offset).ToString();
                    }

                    continue;
                }

                if (b == (byte)' ' || b == (byte)'\t' || b == (byte)'\r' || b == (byte)'\n')
                {
                    continue;
                }

                if (finished)
                {
                    return "text after the end of the document at byte " + (i - offset).ToString();
                }

                if (b == (byte)'{' || b == (byte)'[')
                {
                    if (depth == maxDepth)
                    {
                        return "nesting deeper than " + maxDepth.ToString();
                    }

                    ulong bit = 1UL << depth;
                    objects = b == (byte)'{' ? (objects | bit) : (objects & ~bit);
                    depth++;
                    started = true;
                    continue;
                }

                if (!started)
                {
                    return "document does not start with an object or array";
                }

                if (b == (byte)'}' || b == (byte)']')
                {
                    if (depth == 0)
                    {
                        return "unbalanced closing bracket at byte " + (i - offset).ToString();
                    }

                    bool isObject = (objects & (1UL << (depth - 1))) != 0;
                    if (isObject != (b == (byte)'}'))
                    {
                        return "mismatched closing bracket at byte " + (i - offset).ToString();
                    }

                    depth--;
                    if (depth == 0)
                    {
                        finished = true;
                    }

                    continue;
                }

                if (b == (byte)'"')
                {
                    inString = true;
                    continue;
                }

                if (b < 0x20)
                {
                    return "control character at byte " + (i - offset).ToString();
                }
            }

            if (continuation > 0)
            {
                return "truncated UTF-8 sequence";
            }

            if (inString)
            {
                return "unterminated string";
            }

            if (!finished)
            {
                return started ? "unbalanced brackets (truncated document)" : "no JSON document";
            }

            return null;
        }
    }
}
