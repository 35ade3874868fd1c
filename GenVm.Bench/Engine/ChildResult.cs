namespace GenVm.Bench.Engine;

/// <summary>The outcome of one child process: exit code, output, wall seconds and CPU seconds (user + system).</summary>
internal sealed record ChildResult(int ExitCode, string Stdout, string Stderr, double WallSeconds, double CpuSeconds);
