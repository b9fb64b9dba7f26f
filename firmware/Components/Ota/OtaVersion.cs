namespace AliyunIot.Ota
{
    /// <summary>
    /// Orders firmware versions for the downgrade check: split at '.', '-' and '+'; numeric parts compare as numbers
    /// (1.10 &gt; 1.9), other parts ordinally; a version with more parts is newer when the common ones are equal
    /// (1.2.1 &gt; 1.2). Culture-free and allocation-light.
    /// </summary>
    public static class OtaVersion
    {
        /// <summary>Negative when <paramref name="a"/> is older than <paramref name="b"/>, 0 when equal, positive when newer.</summary>
        public static int Compare(string a, string b)
        {
            int i = 0;
            int j = 0;
            while (i < a.Length || j < b.Length)
            {
                if (i >= a.Length)
                {
                    return -1;
                }

                if (j >= b.Length)
                {
                    return 1;
                }

                int endA = PartEnd(a, i);
                int endB = PartEnd(b, j);
                int result = ComparePart(a, i, endA, b, j, endB);
                if (result != 0)
                {
                    return result;
                }

                i = endA + 1;
                j = endB + 1;
            }

            return 0;
        }

        private static int PartEnd(string text, int start)
        {
            int p = start;
            while (p < text.Length && text[p] != '.' && text[p] != '-' && text[p] != '+')
            {
                p++;
            }

            return p;
        }

        private static int ComparePart(string a, int startA, int endA, string b, int startB, int endB)
        {
            if (IsNumber(a, startA, endA) && IsNumber(b, startB, endB))
            {
                // Skip leading zeros, then the longer number is larger, then digit by digit.
                while (startA < endA - 1 && a[startA] == '0')
                {
                    startA++;
                }

                while (startB < endB - 1 && b[startB] == '0')
                {
                    startB++;
                }

                if (endA - startA != endB - startB)
                {
                    return (endA - startA) < (endB - startB) ? -1 : 1;
                }
            }

            int length = endA - startA < endB - startB ? endA - startA : endB - startB;
            for (int k = 0; k < length; k++)
            {
                char x = a[startA + k];
                char y = b[startB + k];
                if (x != y)
                {
                    return x < y ? -1 : 1;
                }
            }

            int lengthA = endA - startA;
            int lengthB = endB - startB;
            return lengthA == lengthB ? 0 : (lengthA < lengthB ? -1 : 1);
        }

        private static bool IsNumber(string text, int start, int end)
        {
            if (start >= end)
            {
                return false;
            }

            for (int p = start; p < end; p++)
            {
                if (text[p] < '0' || text[p] > '9')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
