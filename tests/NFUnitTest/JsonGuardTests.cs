using System.Text;
using AliyunIot.Json;
using nanoFramework.TestFramework;

namespace AliyunIot.NFUnitTest
{
    /// <summary>
    /// The single pass every untrusted payload gets before a parser sees it, on the nanoCLR: well-formed documents
    /// pass; size, depth, unbalanced brackets, unterminated strings, control characters, invalid UTF-8 and trailing
    /// text are refused with a reason that never quotes the payload.
    /// </summary>
    [TestClass]
    public class JsonGuardTests
    {
        [TestMethod]
        public void Well_formed_documents_pass()
        {
            Assert.IsNull(Check("{}", 1024, 8), "empty object");
            Assert.IsNull(Check("[]", 1024, 8), "empty array");
            Assert.IsNull(Check(" {\"id\":\"1\",\"params\":{\"a\":[1,2,{\"b\":\"x}]{[\"}]}} \r\n", 1024, 8), "brackets inside strings");
            Assert.IsNull(Check("{\"s\":\"esc \\\" quote \\\\ back\"}", 1024, 8), "escapes");
            Assert.IsNull(Check("{\"t\":\"\u6e29\u5ea6 \u2713\"}", 1024, 8), "multi-byte UTF-8");
        }

        [TestMethod]
        public void Malformed_documents_are_refused_with_a_reason()
        {
            Assert.AreEqual("empty payload", Check("", 1024, 8), "empty");
            Assert.AreEqual("no JSON document", Check("   ", 1024, 8), "blank");
            Assert.AreEqual("unbalanced brackets (truncated document)", Check("{\"a\":1", 1024, 8), "truncated");
            Assert.AreEqual("unterminated string", Check("{\"a\":\"1}", 1024, 8), "string");
            Assert.AreEqual("mismatched closing bracket at byte 1", Check("{]", 1024, 8), "mismatch");
            Assert.AreEqual("text after the end of the document at byte 3", Check("{} {}", 1024, 8), "two documents");
            Assert.AreEqual("document does not start with an object or array", Check("42", 1024, 8), "scalar");
            Assert.AreEqual("control character in a string at byte 7", Check("{\"a\":\"x\ny\"}", 1024, 8), "raw newline");
        }

        [TestMethod]
        public void Depth_is_refused_beyond_the_limit_and_accepted_at_it()
        {
            Assert.IsNull(Check(new string('[', 8) + new string(']', 8), 1024, 8), "at the limit");
            Assert.AreEqual("nesting deeper than 8", Check(new string('[', 9) + new string(']', 9), 1024, 8), "one deeper");
            Assert.AreEqual("nesting deeper than 8", Check(new string('[', 2000), 4096, 8), "hostile depth, unbalanced");
        }

        [TestMethod]
        public void Oversize_payloads_are_refused_before_scanning()
        {
            Assert.AreEqual("payload of 11 bytes exceeds 10", Check("{\"a\":\"bcd\"}", 10, 8), "size");
        }

        [TestMethod]
        public void Invalid_utf8_is_refused()
        {
            byte[] bad = new byte[] { (byte)'{', (byte)'"', 0xC3, (byte)'"', (byte)':', (byte)'1', (byte)'}' };
            Assert.AreEqual("invalid UTF-8 at byte 3", JsonGuard.Check(bad, 0, bad.Length, 100, 8), "truncated sequence");
            byte[] overlong = new byte[] { (byte)'[', (byte)'"', 0xC0, 0x80, (byte)'"', (byte)']' };
            Assert.AreEqual("invalid UTF-8 at byte 2", JsonGuard.Check(overlong, 0, overlong.Length, 100, 8), "overlong");
            byte[] outside = new byte[] { (byte)'[', 0xE2, 0x9C, 0x93, (byte)']' };
            Assert.AreEqual("non-ASCII byte outside a string at byte 1", JsonGuard.Check(outside, 0, outside.Length, 100, 8), "outside a string");
        }

        [TestMethod]
        public void Only_the_given_range_is_checked()
        {
            byte[] bytes = Encoding.UTF8.GetBytes("xx{\"a\":1}yy");
            Assert.IsNull(JsonGuard.Check(bytes, 2, 7, 100, 8), "inner range");
            Assert.AreEqual("bad range", JsonGuard.Check(bytes, 5, 7, 100, 8), "past the end");
        }

        private static string Check(string text, int maxBytes, int maxDepth)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            return JsonGuard.Check(bytes, 0, bytes.Length, maxBytes, maxDepth);
        }
    }
}
