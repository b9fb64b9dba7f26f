namespace OtaPartition
{
    /// <summary>Whole-file helpers over <see cref="IFlashStorage"/> (records, the device config).</summary>
    public static class FlashFiles
    {
        /// <summary>
        /// Reads a whole file. Null when it does not exist, is longer than <paramref name="maxLength"/>, or ends
        /// before its recorded length (a torn file): the caller decides what that means for it.
        /// </summary>
        public static byte[] ReadAll(IFlashStorage storage, string name, long maxLength)
        {
            long length = storage.Length(name);
            if (length < 0 || length > maxLength)
            {
                return null;
            }

            byte[] bytes = new byte[(int)length];
            IFlashFile file = storage.OpenRead(name);
            try
            {
                int total = 0;
                while (total < bytes.Length)
                {
                    int read = file.Read(bytes, total, bytes.Length - total);
                    if (read <= 0)
                    {
                        return null;
                    }

                    total += read;
                }
            }
            finally
            {
                file.Dispose();
            }

            return bytes;
        }
    }
}
