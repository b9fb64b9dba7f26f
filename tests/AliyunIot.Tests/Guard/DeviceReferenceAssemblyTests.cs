using AliyunIot.DeviceCompile;
using Xunit;

namespace AliyunIot.Tests.Guard
{
    /// <summary>
    /// The reference assemblies generated from build/nanoframework-api have exactly the listed surface: what the
    /// listing has compiles (methods, overloads, properties, events, nested delegates, statics, overriding an abstract
    /// library class), what it lacks does not (a missing member, overload, setter or constructor, constructing an
    /// abstract class or one with no listed constructor, leaving an abstract member out, a library not referenced).
    /// The snippets are compiled with the SDK's csc against the real mscorlib and the generated assemblies, as the
    /// device projects are: each batch in one compile (one namespace a line), each case checked on its own line.
    /// </summary>
    public sealed class DeviceReferenceAssemblyTests
    {
        private const string Usings = "using System; using System.Collections; using System.IO; using nanoFramework.M2Mqtt; using nanoFramework.M2Mqtt.Messages;";

        private static readonly string[] Libraries =
        {
            "nanoFramework.M2Mqtt", "nanoFramework.M2Mqtt.Core", "System.Net", "nanoFramework.System.Collections", "System.IO.Streams", "nanoFramework.Runtime.Native",
        };

        private static readonly (string Name, string Code)[] ListedCases =
        {
            ("method", "class C { ushort M(MqttClient c) { return c.Publish(\"t\", new byte[1]); } }"),
            ("overload", "class C { ushort M(MqttClient c) { return c.Publish(\"t\", new byte[1], \"text/plain\", new ArrayList(), MqttQoSLevel.AtLeastOnce, false); } }"),
            ("property", "class C { bool M(MqttClient c) { c.ProtocolVersion = MqttProtocolVersion.Version_5; return c.IsConnected; } }"),
            ("event", "class C { void M(MqttClient c) { c.MqttMsgPublishReceived += H; } void H(object s, MqttMsgPublishEventArgs e) { string t = e.Topic; } }"),
            ("nested-delegate", "class C { void M(MqttClient c) { c.ConnectionClosed += new IMqttClient.ConnectionClosedEventHandler(H); } void H(object s, EventArgs e) { } }"),
            ("static", "class C { uint M() { return nanoFramework.Runtime.Native.GC.Run(true); } }"),
            ("constructor", "class C { object M() { return new MemoryStream(new byte[4], false); } }"),
            ("subclass", "class S : Stream { public override bool CanRead => true; public override bool CanSeek => false; public override bool CanWrite => false; public override long Length => 0; public override long Position { get => 0; set { } } public override void Flush() { } public override long Seek(long o, SeekOrigin s) => 0; public override void SetLength(long v) { } public override int Read(SpanByte b) => 0; public override int Read(byte[] b, int o, int c) => 0; public override void Write(byte[] b, int o, int c) { } }"),
        };

        private static readonly (string Name, string Code, string Error)[] MissingCases =
        {
            ("member", "class C { void M(MqttClient c) { c.NoSuchMember(); } }", "CS1061"),
            ("overload", "class C { void M(MqttClient c) { c.Publish(\"t\"); } }", "CS1501"),
            ("property-setter", "class C { void M(MqttClient c) { c.IsConnected = true; } }", "CS0200"),
            ("constructor", "class C { object M() { return new MemoryStream(1024); } }", "CS1503"),
            ("abstract-class", "class C { object M() { return new Stream(); } }", "CS0144"),
            ("no-listed-constructor", "class C { object M() { return new nanoFramework.Runtime.Native.GC(); } }", "CS1729"),
        };

        private static readonly Lazy<CscResult> Listed = new Lazy<CscResult>(() => Compile("listed", ListedCases.Select(c => c.Code), Libraries));
        private static readonly Lazy<CscResult> Missing = new Lazy<CscResult>(() => Compile("missing", MissingCases.Select(c => c.Code), Libraries));

        public static TheoryData<string> ListedNames() => Names(ListedCases.Select(c => c.Name));

        public static TheoryData<string> MissingNames() => Names(MissingCases.Select(c => c.Name));

        [Theory]
        [MemberData(nameof(ListedNames))]
        public void What_the_listing_has_compiles(string name)
        {
            int line = LineOf(ListedCases.Select(c => c.Name), name);
            // Errors on this case's line, or on none (the usings line, or without a location), fail it.
            CompilerMessage[] errors = Listed.Value.Errors.Where(e => e.Line == line || e.Line < 2).ToArray();

            Assert.True(errors.Length == 0, name + ": " + string.Join(Environment.NewLine, errors.Select(e => e.Format(null))));
            Assert.True(Listed.Value.ExitCode == 0 || Listed.Value.Errors.Any(), Listed.Value.Output);
        }

        [Theory]
        [MemberData(nameof(MissingNames))]
        public void What_the_listing_lacks_does_not_compile(string name)
        {
            int line = LineOf(MissingCases.Select(c => c.Name), name);
            string expected = MissingCases.Single(c => c.Name == name).Error;

            Assert.True(Missing.Value.Errors.Any(e => e.Line == line && e.Id == expected),
                $"{name}: expected {expected} on line {line}; the compiler said:{Environment.NewLine}{Missing.Value.Output}");
        }

        [Fact]
        public void A_subclass_of_an_abstract_library_class_must_override_its_abstract_members()
        {
            // Alone: csc reports declaration errors like this one before (and instead of) method-body errors.
            CscResult result = Compile("abstract-member-left-out", new[] { "class S : Stream { public override void Flush() { } }" }, Libraries);

            Assert.Contains(result.Errors, e => e.Id == "CS0534" && e.Text.Contains("Stream.Read(byte[], int, int)", StringComparison.Ordinal));
            Assert.DoesNotContain(result.Errors, e => e.Text.Contains("Stream.Flush()", StringComparison.Ordinal));
        }

        [Fact]
        public void A_library_the_project_does_not_reference_is_not_there()
        {
            CscResult withReference = Compile("referenced", new[] { "class C { void M(MqttClient c) { } }" }, Libraries);
            CscResult withoutReference = Compile("unreferenced", new[] { "class C { void M(MqttClient c) { } }" }, new[] { "System.Net" });

            Assert.True(withReference.ExitCode == 0, withReference.Output);
            Assert.Contains(withoutReference.Errors, e => e.Id == "CS0246" && e.Text.Contains("MqttClient", StringComparison.Ordinal));
        }

        private static CscResult Compile(string name, IEnumerable<string> snippets, string[] assemblies)
        {
            // Line 1: the usings (the M2Mqtt namespaces only where M2Mqtt is referenced); then one case a line.
            string usings = assemblies.Contains("nanoFramework.M2Mqtt") ? Usings : "using System;";
            string source = usings + Environment.NewLine + string.Join(Environment.NewLine, snippets.Select((code, i) => $"namespace Case{i} {{ {code} }}"));
            return DeviceCompileTests.Build.Value.CompileSnippet("snippet-" + name, source, assemblies);
        }

        /// <summary>Line 1 holds the usings; case i is on line i + 2.</summary>
        private static int LineOf(IEnumerable<string> names, string name) => names.ToList().IndexOf(name) + 2;

        private static TheoryData<string> Names(IEnumerable<string> names)
        {
            var data = new TheoryData<string>();
            foreach (string n in names)
            {
                data.Add(n);
            }

            return data;
        }
    }
}
