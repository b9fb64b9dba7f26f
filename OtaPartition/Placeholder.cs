namespace OtaPartition { internal static class Placeholder { } }
