namespace AliyunIot.HostPorts { internal static class Placeholder { } }
