using System.Reflection;
using nanoFramework.TestFramework;
using Xunit;

namespace AliyunIot.Tests.Device;

/// <summary>
/// Runs every [TestMethod] of the on-device test sources (tests/NFUnitTest, compiled into this project against
/// NanoTestFrameworkShim) on the host: the expectations the nanoCLR will check are first proven right here.
/// Follows the nanoFramework runner's rules: [Setup] once per class before its tests, [Cleanup] after them.
/// </summary>
public sealed class NFUnitTestOnHostTests
{
    public static TheoryData<string, string> Methods()
    {
        var data = new TheoryData<string, string>();
        foreach (Type type in TestClasses())
        {
            foreach (MethodInfo method in type.GetMethods().Where(m => m.GetCustomAttribute<TestMethodAttribute>() != null))
            {
                data.Add(type.Name, method.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void On_device_test_passes_on_the_host(string className, string methodName)
    {
        Type type = TestClasses().Single(t => t.Name == className);
        object instance = Activator.CreateInstance(type);
        foreach (MethodInfo setup in type.GetMethods().Where(m => m.GetCustomAttribute<SetupAttribute>() != null))
        {
            Invoke(setup, instance);
        }

        try
        {
            Invoke(type.GetMethod(methodName), instance);
        }
        finally
        {
            foreach (MethodInfo cleanup in type.GetMethods().Where(m => m.GetCustomAttribute<CleanupAttribute>() != null))
            {
                Invoke(cleanup, instance);
            }
        }
    }

    [Fact]
    public void Every_portable_component_has_on_device_tests()
    {
        Xunit.Assert.True(TestClasses().Count() >= 5, "expected the on-device test classes to be compiled into the host tests");
    }

    private static IEnumerable<Type> TestClasses() =>
        typeof(NFUnitTestOnHostTests).Assembly.GetTypes()
            .Where(t => t.Namespace == "AliyunIot.NFUnitTest" && t.GetCustomAttribute<TestClassAttribute>() != null)
            .OrderBy(t => t.Name);

    private static void Invoke(MethodInfo method, object instance)
    {
        try
        {
            method.Invoke(instance, null);
        }
        catch (TargetInvocationException e) when (e.InnerException != null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
    }
}
