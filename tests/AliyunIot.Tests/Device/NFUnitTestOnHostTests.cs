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

    /// <summary>
    /// The portable assemblies' main types, each of which must be exercised on the device. A type listed here that an on-device
    /// test class (its own methods, nested rigs and lambdas) never calls, constructs or reads fails the test below;
    /// a renamed or removed type fails the build (typeof), so the list follows the portable assemblies.
    /// </summary>
    private static readonly Type[] Components =
    {
        typeof(AliyunIot.Connection.Outbox),
        typeof(AliyunIot.Connection.SessionSupervisor),
        typeof(AliyunIot.Connection.MessageDispatcher),
        typeof(AliyunIot.Connection.Backoff),
        typeof(AliyunIot.Connection.TokenBucket),
        typeof(AliyunIot.Connection.ConnectOutcomeClassifier),
        typeof(AliyunIot.Connection.MqttCredentials),
        typeof(AliyunIot.Connection.WifiLink),
        typeof(AliyunIot.Thing.ThingDispatcher),
        typeof(AliyunIot.Thing.ThingReporter),
        typeof(AliyunIot.Ota.OtaAgent),
        typeof(AliyunIot.Sensors.SensorPoller),
        typeof(AliyunIot.Sensors.SensorConfigParser),
        typeof(AliyunIot.Config.DeviceConfigParser),
        typeof(AliyunIot.Json.JsonGuard),
        typeof(AliyunIot.Json.JsonValues),
        typeof(AliyunIot.Json.JsonWriter),
        typeof(AliyunIot.Alink.DeviceTopics),
        typeof(AliyunIot.Alink.FirmwareVersionReporter),
        typeof(AliyunIot.Alink.OtaMessages),
        typeof(AliyunIot.Time.NtpSync),
        typeof(AliyunIot.Shadow.DeviceShadow),
        typeof(AliyunIot.DeviceInfo.DeviceTags),
        typeof(AliyunIot.LogPost.LogPoster),
        typeof(AliyunIot.RemoteConfig.RemoteConfigAgent),
        typeof(AliyunIot.Provisioning.DynamicRegistration),
        typeof(AliyunIot.Crypto.Md5),
        typeof(AliyunIot.Crypto.Sha1),
        typeof(AliyunIot.Crypto.Sha256),
        typeof(AliyunIot.Crypto.Signer),
        typeof(AliyunIot.Alink.AlinkTopicClassifier),
        typeof(AliyunIot.Alink.AlinkEnvelope),
        typeof(AliyunIot.Json.JsonReader),
        typeof(AliyunIot.Json.JsonTree),
        typeof(AliyunIot.Http.HttpsDownloader),
        typeof(AliyunIot.Http.HttpsPoster),
        typeof(AliyunIot.Http.HttpResponseReader),
        typeof(AliyunIot.Http.HttpRequestWriter),
        typeof(AliyunIot.Http.HttpsUrl),
        typeof(OtaPartition.BootGuard),
        typeof(OtaPartition.SlotStore),
        typeof(OtaPartition.OtaImageReader),
    };

    [Fact]
    public void Every_portable_component_has_on_device_tests()
    {
        var exercised = new Dictionary<Type, List<string>>();
        foreach (Type testClass in TestClasses())
        {
            foreach (Type used in TypesUsedBy(testClass))
            {
                if (!exercised.TryGetValue(used, out var by))
                {
                    exercised[used] = by = new List<string>();
                }

                by.Add(testClass.Name);
            }
        }

        var missing = Components.Where(c => !exercised.ContainsKey(c)).Select(c => c.FullName).ToList();
        Xunit.Assert.True(missing.Count == 0, "no on-device test class (tests/NFUnitTest) exercises: " + string.Join(", ", missing));
    }

    /// <summary>
    /// Every portable assembly — the core, OtaPartition and each component (tools/Portable/*, the host builds of the
    /// device projects) — has on-device tests: some test class calls, constructs or reads one of its types. A new
    /// component project without tests in tests/NFUnitTest fails here, by name.
    /// </summary>
    [Fact]
    public void Every_portable_assembly_has_on_device_tests()
    {
        var exercised = new HashSet<string>(StringComparer.Ordinal);
        foreach (Type testClass in TestClasses())
        {
            foreach (Type used in TypesUsedBy(testClass))
            {
                exercised.Add(used.Assembly.GetName().Name);
            }
        }

        string[] portable = Directory.GetDirectories(Path.Combine(AliyunIot.Tests.Guard.GuardHarness.RepositoryRoot, "tools", "Portable"))
            .Select(Path.GetFileName)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToArray();
        Xunit.Assert.Contains("AliyunIot.Thing", portable);
        string[] missing = portable.Where(a => !exercised.Contains(a)).ToArray();
        Xunit.Assert.True(missing.Length == 0, "no on-device test class (tests/NFUnitTest) exercises a type of: " + string.Join(", ", missing));
    }

    // Types whose members (methods, constructors, fields, properties via accessors) the IL of a test class calls or
    // reads, including its nested types: rigs, lambdas' closures and iterator classes.
    private static HashSet<Type> TypesUsedBy(Type testClass)
    {
        var used = new HashSet<Type>();
        var pending = new Stack<Type>();
        pending.Push(testClass);
        while (pending.Count > 0)
        {
            Type type = pending.Pop();
            foreach (Type nested in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic))
            {
                pending.Push(nested);
            }

            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (MethodBase method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                byte[] il = method.GetMethodBody()?.GetILAsByteArray();
                if (il == null)
                {
                    continue;
                }

                foreach (int token in MemberTokens(il))
                {
                    Type declaring = Resolve(method.Module, token);
                    for (Type t = declaring; t != null; t = t.DeclaringType)
                    {
                        used.Add(t);
                    }
                }
            }
        }

        return used;
    }

    private static Type Resolve(Module module, int token)
    {
        try
        {
            MemberInfo member = module.ResolveMember(token);
            return member as Type ?? member?.DeclaringType;
        }
        catch (ArgumentException)
        {
            return null; // a string or signature token
        }
    }

    private static readonly Dictionary<short, System.Reflection.Emit.OpCode> OpCodesByValue =
        typeof(System.Reflection.Emit.OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (System.Reflection.Emit.OpCode)f.GetValue(null))
            .ToDictionary(o => o.Value);

    // The metadata tokens of member and type operands, walking the IL instruction by instruction.
    private static IEnumerable<int> MemberTokens(byte[] il)
    {
        int at = 0;
        while (at < il.Length)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            System.Reflection.Emit.OpCode op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case System.Reflection.Emit.OperandType.InlineMethod:
                case System.Reflection.Emit.OperandType.InlineField:
                case System.Reflection.Emit.OperandType.InlineType:
                case System.Reflection.Emit.OperandType.InlineTok:
                    yield return BitConverter.ToInt32(il, at);
                    at += 4;
                    break;
                case System.Reflection.Emit.OperandType.InlineNone:
                    break;
                case System.Reflection.Emit.OperandType.ShortInlineBrTarget:
                case System.Reflection.Emit.OperandType.ShortInlineI:
                case System.Reflection.Emit.OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case System.Reflection.Emit.OperandType.InlineVar:
                    at += 2;
                    break;
                case System.Reflection.Emit.OperandType.InlineI8:
                case System.Reflection.Emit.OperandType.InlineR:
                    at += 8;
                    break;
                case System.Reflection.Emit.OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    at += 4; // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR
                    break;
            }
        }
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
