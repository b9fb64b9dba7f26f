// A host stand-in for the part of nanoFramework.TestFramework 3.x that tests/NFUnitTest uses, with the same names and
// signatures as build/nanoframework-api/nanoFramework.TestFramework.txt. It lets the host run the on-device test
// sources (NFUnitTestOnHostTests), so a wrong expectation in them is caught here instead of on a board.
#pragma warning disable CA1050, CS1591
using System.Collections;

namespace nanoFramework.TestFramework
{
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class TestClassAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method)]
    public sealed class TestMethodAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method)]
    public sealed class SetupAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method)]
    public sealed class CleanupAttribute : Attribute { }

    public sealed class SkipTestException : Exception
    {
        public SkipTestException(string message, Exception innerException) : base(message, innerException) { }
    }

    public static class Assert
    {
        public static void AreEqual(string expected, string actual, string message) => Check(expected == actual, message, expected, actual);
        public static void AreEqual(int expected, int actual, string message) => Check(expected == actual, message, expected, actual);
        public static void AreEqual(long expected, long actual, string message) => Check(expected == actual, message, expected, actual);
        public static void AreEqual(uint expected, uint actual, string message) => Check(expected == actual, message, expected, actual);
        public static void AreEqual(bool expected, bool actual, string message) => Check(expected == actual, message, expected, actual);
        public static void AreEqual(object expected, object actual, string message) => Check(Equals(expected, actual), message, expected, actual);
        public static void AreNotEqual(string notExpected, string actual, string message) => Check(notExpected != actual, message, "not " + notExpected, actual);
        public static void IsTrue(bool condition, string message) => Check(condition, message, true, false);
        public static void IsFalse(bool condition, string message) => Check(!condition, message, false, true);
        public static void IsNull(object value, string message) => Check(value == null, message, null, value);
        public static void IsNotNull(object value, string message) => Check(value != null, message, "not null", null);
        public static void Contains(string expected, string value, string message) => Check(value != null && value.Contains(expected, StringComparison.Ordinal), message, "contains " + expected, value);
        public static void DoesNotContains(string notExpected, string value, string message) => Check(value == null || !value.Contains(notExpected, StringComparison.Ordinal), message, "does not contain " + notExpected, value);
        public static void StartsWith(string expected, string value, string message) => Check(value != null && value.StartsWith(expected, StringComparison.Ordinal), message, "starts with " + expected, value);
        public static void SkipTest(string message) => throw new SkipTestException(message, null);

        public static void ThrowsException(Type exceptionType, Action action, string message)
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                Check(exceptionType.IsInstanceOfType(e), message, exceptionType.Name, e.GetType().Name);
                return;
            }

            Check(false, message, exceptionType.Name, "no exception");
        }

        private static void Check(bool ok, string message, object expected, object actual)
        {
            if (!ok)
            {
                throw new Xunit.Sdk.XunitException($"{message}: expected <{expected}> but was <{actual}>");
            }
        }
    }

    public static class CollectionAssert
    {
        public static void AreEqual(ICollection expected, ICollection actual, string message)
        {
            var e = expected.Cast<object>().ToArray();
            var a = actual.Cast<object>().ToArray();
            if (!e.SequenceEqual(a))
            {
                throw new Xunit.Sdk.XunitException($"{message}: collections differ ({e.Length} vs {a.Length} items)");
            }
        }
    }

    public static class OutputHelper
    {
        public static void WriteLine(string message) => Console.WriteLine(message);
    }
}
