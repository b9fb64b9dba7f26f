using System.Text;
using AliyunIot.Json;
using Xunit;

namespace AliyunIot.Tests.Thing
{
    public class JsonGuardTests
    {
        private static string Check(string text, int maxBytes = 1024, int maxDepth = 8)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            return JsonGuard.Check(bytes, 0, bytes.Length, maxBytes, maxDepth);
        }

        [Theory]
        [InlineData("{}")]
        [InlineData("[]")]
        [InlineData(" {\"id\":\"1\",\"params\":{\"a\":[1,2,{\"b\":\"x}]{[\"}]}} \r\n")]
        [InlineData("{\"s\":\"esc \\\" quote \\\\ back\"}")]
        [InlineData("{\"t\":\"温度 ✓ 😀\"}")]
        public void Accepts_well_formed_documents(string json)
        {
            Assert.Null(Check(json));
        }

        [Theory]
        [InlineData("", "empty payload")]
        [InlineData("   ", "no JSON document")]
        [InlineData("{\"a\":1", "unbalanced brackets (truncated document)")]
        [InlineData("{\"a\":\"1}", "unterminated string")]
        [InlineData("{]", "mismatched closing bracket at byte 1")]
        [InlineData("{}}", "text after the end of the document at byte 2")]
        [InlineData("{} {}", "text after the end of the document at byte 3")]
        [InlineData("\"x\"", "document does not start with an object or array")]
        [InlineData("42", "document does not start with an object or array")]
        [InlineData("{\"a\":\"x\ny\"}", "control character in a string at byte 7")]
        public void Refuses_malformed_documents_with_a_reason(string json, string reason)
        {
            Assert.Equal(reason, Check(json));
        }

        [Fact]
        public void Refuses_depth_beyond_the_limit_and_accepts_it_at_the_limit()
        {
            Assert.Null(Check(new string('[', 8) + new string(']', 8)));
            Assert.Equal("nesting deeper than 8", Check(new string('[', 9) + new string(']', 9)));
            Assert.Equal("nesting deeper than 8", Check(new string('[', 100000), maxBytes: 200000));
        }

        [Fact]
        public void Refuses_oversize_payloads_before_scanning()
        {
            Assert.Equal("payload of 11 bytes exceeds 10", Check("{\"a\":\"bcd\"}", maxBytes: 10));
        }

        [Fact]
        public void Refuses_invalid_utf8()
        {
            byte[] bad = { (byte)'{', (byte)'"', 0xC3, (byte)'"', (byte)':', (byte)'1', (byte)'}' };
            Assert.Equal("invalid UTF-8 at byte 3", JsonGuard.Check(bad, 0, bad.Length, 100, 8));
            byte[] overlong = { (byte)'[', (byte)'"', 0xC0, 0x80, (byte)'"', (byte)']' };
            Assert.Equal("invalid UTF-8 at byte 2", JsonGuard.Check(overlong, 0, overlong.Length, 100, 8));
            byte[] outside = { (byte)'[', 0xE2, 0x9C, 0x93, (byte)']' };
            Assert.Equal("non-ASCII byte outside a string at byte 1", JsonGuard.Check(outside, 0, outside.Length, 100, 8));
        }

        [Fact]
        public void Checks_only_the_given_range()
        {
            byte[] bytes = Encoding.UTF8.GetBytes("xx{\"a\":1}yy");
            Assert.Null(JsonGuard.Check(bytes, 2, 7, 100, 8));
            Assert.Equal("bad range", JsonGuard.Check(bytes, 5, 7, 100, 8));
        }
    }
}
