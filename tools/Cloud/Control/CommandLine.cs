namespace AliyunIot.Cloud.Control
{
    /// <summary>Minimal <c>--name value</c> / <c>--flag</c> parser shared by the cloud and simulator CLIs.</summary>
    public sealed class CommandLine
    {
        private readonly Dictionary<string, string> _options = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Parses arguments; words not starting with "--" are positional.</summary>
        public CommandLine(IEnumerable<string> args)
        {
            var list = args.ToList();
            for (int i = 0; i < list.Count; i++)
            {
                string arg = list[i];
                if (arg.StartsWith("--", StringComparison.Ordinal))
                {
                    string name = arg.Substring(2);
                    int eq = name.IndexOf('=');
                    if (eq >= 0)
                    {
                        _options[name.Substring(0, eq)] = name.Substring(eq + 1);
                    }
                    else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        _options[name] = list[++i];
                    }
                    else
                    {
                        _options[name] = "true";
                    }
                }
                else
                {
                    Positional.Add(arg);
                }
            }
        }

        /// <summary>Words that are not options, in order.</summary>
        public List<string> Positional { get; } = new List<string>();

        /// <summary>An option's value, or <paramref name="fallback"/>.</summary>
        public string Get(string name, string fallback = null) => _options.TryGetValue(name, out string value) ? value : fallback;

        /// <summary>An option that must be present.</summary>
        /// <exception cref="ArgumentException">It is missing.</exception>
        public string Require(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required");

        /// <summary>An integer option.</summary>
        public int GetInt(string name, int fallback)
        {
            string text = Get(name);
            if (text == null)
            {
                return fallback;
            }

            return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int value)
                ? value
                : throw new ArgumentException($"--{name} must be an integer");
        }

        /// <summary>True when the flag is present (and not "false").</summary>
        public bool Flag(string name) => Get(name) is string value && value != "false";
    }
}
