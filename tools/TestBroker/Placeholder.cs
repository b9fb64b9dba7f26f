namespace AliyunIot.TestBroker { internal static class Placeholder { } }
