using System.Text;
using System.Text.RegularExpressions;

namespace AliyunIot.DeviceCompile;

/// <summary>
/// The part of MSBuild's condition and property language the .nfproj files use: <c>$(Name)</c> in values and
/// conditions, and conditions built from <c>'a' == 'b'</c>, <c>'a' != 'b'</c> (compared ignoring case, as MSBuild
/// does), <c>and</c>, <c>or</c>, <c>!</c>, parentheses and <c>Exists('path')</c>. Anything else (property
/// functions, item or metadata references, numeric comparisons) is refused with the text named, so a project never
/// compiles here under a reading the real build would not give it.
/// </summary>
internal static class MsbuildCondition
{
    private static readonly Regex PropertyReference = new(@"\$\((?<name>[A-Za-z_][A-Za-z0-9_\-]*)\)", RegexOptions.Compiled);

    /// <summary>Replaces every <c>$(Name)</c> by its value (empty when unset).</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> properties, string where)
    {
        string expanded = PropertyReference.Replace(text, m => properties.TryGetValue(m.Groups["name"].Value, out string value) ? value : "");
        if (expanded.Contains("$(", StringComparison.Ordinal) || expanded.Contains("@(", StringComparison.Ordinal) || expanded.Contains("%(", StringComparison.Ordinal))
        {
            throw new FormatException($"{where}: '{text}' uses more of MSBuild than tools/DeviceCompile evaluates (only $(Name))");
        }

        return expanded;
    }

    /// <summary>Whether <paramref name="condition"/> holds (an empty or missing condition holds).</summary>
    public static bool Holds(string condition, IReadOnlyDictionary<string, string> properties, string directory, string where)
    {
        if (string.IsNullOrWhiteSpace(condition))
        {
            return true;
        }

        var parser = new Parser(Tokenize(condition, where), properties, directory, condition, where);
        bool result = parser.Or();
        parser.ExpectEnd();
        return result;
    }

    /// <summary>The literals a condition compares <c>$(name)</c> with (<c>'$(name)' == 'x'</c> or <c>!=</c>), empty ones left out.</summary>
    public static IEnumerable<string> ComparedValues(string condition, string name)
    {
        if (string.IsNullOrWhiteSpace(condition))
        {
            yield break;
        }

        string reference = "'$(" + name + ")'";
        string pattern = Regex.Escape(reference) + @"\s*(==|!=)\s*'(?<v>[^']*)'|'(?<v>[^']*)'\s*(==|!=)\s*" + Regex.Escape(reference);
        foreach (Match m in Regex.Matches(condition, pattern, RegexOptions.IgnoreCase))
        {
            if (m.Groups["v"].Value.Length > 0)
            {
                yield return m.Groups["v"].Value;
            }
        }
    }

    private static List<string> Tokenize(string text, string where)
    {
        var tokens = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '\'')
            {
                int end = text.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    throw new FormatException($"{where}: unterminated quote in condition \"{text}\"");
                }

                tokens.Add(text.Substring(i, end - i + 1));
                i = end + 1;
            }
            else if ((c == '=' || c == '!') && i + 1 < text.Length && text[i + 1] == '=')
            {
                tokens.Add(text.Substring(i, 2));
                i += 2;
            }
            else if (c == '!' || c == '(' || c == ')')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (char.IsLetter(c))
            {
                var word = new StringBuilder();
                while (i < text.Length && char.IsLetterOrDigit(text[i]))
                {
                    word.Append(text[i++]);
                }

                tokens.Add(word.ToString());
            }
            else
            {
                throw new FormatException($"{where}: condition \"{text}\" uses more of MSBuild than tools/DeviceCompile evaluates (at '{text.Substring(i)}')");
            }
        }

        return tokens;
    }

    private sealed class Parser(List<string> tokens, IReadOnlyDictionary<string, string> properties, string directory, string text, string where)
    {
        private int _at;

        private string Peek => _at < tokens.Count ? tokens[_at] : null;

        public bool Or()
        {
            bool value = And();
            while (string.Equals(Peek, "or", StringComparison.OrdinalIgnoreCase))
            {
                _at++;
                bool right = And();
                value = value || right;
            }

            return value;
        }

        public void ExpectEnd()
        {
            if (Peek != null)
            {
                throw Unsupported();
            }
        }

        private bool And()
        {
            bool value = Unary();
            while (string.Equals(Peek, "and", StringComparison.OrdinalIgnoreCase))
            {
                _at++;
                bool right = Unary();
                value = value && right;
            }

            return value;
        }

        private bool Unary()
        {
            string token = Peek ?? throw Unsupported();
            if (token == "!")
            {
                _at++;
                return !Unary();
            }

            if (token == "(")
            {
                _at++;
                bool inner = Or();
                Expect(")");
                return inner;
            }

            if (string.Equals(token, "Exists", StringComparison.OrdinalIgnoreCase))
            {
                _at++;
                Expect("(");
                string path = Operand();
                Expect(")");
                string full = Path.GetFullPath(Path.Combine(directory, path.Replace('\\', '/')));
                return path.Length > 0 && (File.Exists(full) || Directory.Exists(full));
            }

            string left = Operand();
            string op = Peek;
            if (op != "==" && op != "!=")
            {
                throw Unsupported();
            }

            _at++;
            string right = Operand();
            bool equal = string.Equals(left, right, StringComparison.OrdinalIgnoreCase);
            return op == "==" ? equal : !equal;
        }

        private string Operand()
        {
            string token = Peek;
            if (token == null || token.Length < 2 || token[0] != '\'')
            {
                throw Unsupported();
            }

            _at++;
            return Expand(token.Substring(1, token.Length - 2), properties, where);
        }

        private void Expect(string token)
        {
            if (Peek != token)
            {
                throw Unsupported();
            }

            _at++;
        }

        private FormatException Unsupported() =>
            new($"{where}: condition \"{text}\" uses more of MSBuild than tools/DeviceCompile evaluates ('a' == 'b', !=, and, or, !, parentheses, Exists)");
    }
}
