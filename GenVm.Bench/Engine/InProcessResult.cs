namespace GenVm.Bench.Engine;

/// <summary>
/// One in-process run: module compile (decode, validate, IL emit), instantiate, and <c>_start</c> (which includes the
/// CLR JIT of the emitted methods), each in CPU seconds of the guest thread.
/// </summary>
internal sealed record InProcessResult(string Stdout, int ExitCode, double CompileSeconds, double InstantiateSeconds, double RunSeconds);
