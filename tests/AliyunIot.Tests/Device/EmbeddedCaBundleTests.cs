using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using AliyunIot.Tests.Guard;
using Xunit;

namespace AliyunIot.Tests.Device
{
    /// <summary>
    /// The device trusts the roots compiled into Esp32App as a constant. That constant must be exactly the bundle in
    /// firmware/AliyunIot/Resources (which the simulator and tests use), or a device in the field would trust
    /// something other than what was tested.
    /// </summary>
    public sealed class EmbeddedCaBundleTests
    {
        private static readonly string Root = GuardHarness.RepositoryRoot;

        [Fact]
        public void The_device_constant_is_the_bundle_file_byte_for_byte()
        {
            string bundle = File.ReadAllText(Path.Combine(Root, "firmware", "AliyunIot", "Resources", "aliyun-ca-bundle.pem")).Replace("\r", string.Empty);
            Assert.True(EmbeddedPem() == bundle, "firmware/Esp32App/EmbeddedCaBundle.cs is out of date: run tools/ca-bundle-sync.sh");
        }

        [Fact]
        public void The_embedded_bundle_holds_the_five_platform_roots()
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(EmbeddedPem());
            string[] subjects = roots.Select(c => c.Subject).ToArray();
            Assert.Equal(5, roots.Count);
            Assert.Contains(subjects, s => s.Contains("CN=GlobalSign Root CA", StringComparison.Ordinal) && s.Contains("OU=Root CA", StringComparison.Ordinal));
            Assert.Contains(subjects, s => s.Contains("OU=GlobalSign Root CA - R6", StringComparison.Ordinal));
            Assert.Contains(subjects, s => s.Contains("CN=GlobalSign Root R46", StringComparison.Ordinal));
            Assert.Contains(subjects, s => s.Contains("CN=GlobalSign Root E46", StringComparison.Ordinal));
            Assert.Contains(subjects, s => s.Contains("O=Aliyun IoT", StringComparison.Ordinal));
        }

        // Reads the string literal pieces of EmbeddedCaBundle.Pem the way the C# compiler joins them.
        private static string EmbeddedPem()
        {
            string source = File.ReadAllText(Path.Combine(Root, "firmware", "Esp32App", "EmbeddedCaBundle.cs"));
            var text = new StringBuilder();
            foreach (Match piece in Regex.Matches(source, "^\\s*\"((?:[^\"\\\\]|\\\\.)*)\"", RegexOptions.Multiline))
            {
                text.Append(Regex.Unescape(piece.Groups[1].Value));
            }

            return text.ToString();
        }
    }
}
