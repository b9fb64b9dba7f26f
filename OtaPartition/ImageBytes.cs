namespace OtaPartition
{
    /// <summary>Little-endian integers and length-prefixed printable-ASCII text of the OTA image header.</summary>
    internal static class ImageBytes
    {
        internal static bool IsValidOptionalText(string text)
        {
            return text != null && (text.Length == 0 || IsValidText(text));
        }

        internal static string ReadOptionalText(byte[] bytes, ref int p, int limit)
        {
            if (p < limit && bytes[p] == 0)
            {
                p++;
                return string.Empty;
            }

            return ReadText(bytes, ref p, limit);
        }

        internal static bool IsValidText(string text)
        {
            if (text == null || text.Length == 0 || text.Length > OtaImageHeader.MaxTextLength)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] < ' ' || text[i] > '~')
                {
                    return false;
                }
            }

            return true;
        }

        internal static int WriteText(byte[] bytes, int p, string text)
        {
            bytes[p++] = (byte)text.Length;
            for (int i = 0; i < text.Length; i++)
            {
                bytes[p++] = (byte)text[i];
            }

            return p;
        }

        internal static string ReadText(byte[] bytes, ref int p, int limit)
        {
            if (p >= limit)
            {
                throw new OtaImageException("OTA image header truncated");
            }

            int length = bytes[p++];
            if (length == 0 || length > OtaImageHeader.MaxTextLength || p + length > limit)
            {
                throw new OtaImageException("bad text in OTA image header");
            }

            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                chars[i] = (char)bytes[p + i];
            }

            p += length;
            return new string(chars);
        }

        internal static void WriteU16(byte[] bytes, int p, int value)
        {
            bytes[p] = (byte)value;
            bytes[p + 1] = (byte)(value >> 8);
        }

        internal static void WriteU32(byte[] bytes, int p, uint value)
        {
            bytes[p] = (byte)value;
            bytes[p + 1] = (byte)(value >> 8);
            bytes[p + 2] = (byte)(value >> 16);
            bytes[p + 3] = (byte)(value >> 24);
        }

        internal static int ReadU16(byte[] bytes, int p)
        {
            return bytes[p] | (bytes[p + 1] << 8);
        }

        internal static uint ReadU32(byte[] bytes, int p)
        {
            return (uint)(bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16)) | ((uint)bytes[p + 3] << 24);
        }
    }
}
