using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

// Device build only (the host projects exclude Properties/): nanoFramework assembly metadata.
[assembly: AssemblyTitle("AliyunIot")]
[assembly: AssemblyDescription("Portable core of the Alibaba Cloud IoT firmware: config, crypto, topics, Alink, JSON, session, outbox, ports (nanoFramework 1.x).")]
[assembly: AssemblyConfiguration("")]
[assembly: AssemblyCompany("")]
[assembly: AssemblyProduct("AliyunIot nanoFramework firmware")]
[assembly: AssemblyCopyright("Copyright (c) AliyunIot firmware contributors. MIT License.")]
[assembly: AssemblyTrademark("")]
[assembly: AssemblyCulture("")]
[assembly: ComVisible(false)]

// Managed only: no native part on the device.
[assembly: AssemblyNativeVersion("0.0.0.0")]

[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]

// The on-device tests (tests/NFUnitTest) see internals, as the host tests do.
[assembly: InternalsVisibleTo("NFUnitTest")]
