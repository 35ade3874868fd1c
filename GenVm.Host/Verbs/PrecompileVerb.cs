using GenVm.Core.Runners;
using GenVm.Core.Supervisor;
using GenVm.Wasm;

namespace GenVm.Host.Verbs;

/// <summary>
/// <c>genvm precompile [--info] [--il-only] [--runners-dir DIR]</c>: precompiles every runner's wasm into the compile
/// cache (config.md §3, runners.md §9), for the configuration of <c>genvm wasm run</c> and the executor's three
/// (det, det with soft floats, non-det). The runners directory is <c>--runners-dir</c>, else the runner registry's default
/// (<see cref="RunnerPaths.DefaultRunnersDirectory"/>); every <c>*.tar</c> (core wasm members ending in
/// <c>.wasm</c>/<c>.so</c>) and <c>*.wasm</c> under it is compiled. Exit code 0, 1 when a module failed, 2 on bad usage.
/// </summary>
internal sealed class PrecompileVerb : IVerb
{
    private const string Usage = "usage: genvm precompile [--info] [--il-only] [--runners-dir DIR]";

    public string Name => "precompile";

    public string Summary => "precompile every runner's wasm into the compile cache: precompile [--info] [--il-only] [--runners-dir DIR]";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var info = false;
        var ilOnly = false;
        string? runners = RunnerPaths.DefaultRunnersDirectory;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--info":
                    info = true;
                    break;
                case "--il-only":
                    ilOnly = true;
                    break;
                case "--runners-dir" when i + 1 < args.Count:
                    runners = args[++i];
                    break;
                default:
                    Console.Error.WriteLine(Usage);
                    return Task.FromResult(2);
            }
        }

        if (!Directory.Exists(runners))
        {
            Console.Error.WriteLine($"Error: the runners directory '{runners}' does not exist (--runners-dir, GENVM_RUNNERS_DIR)");
            return Task.FromResult(2);
        }

        var precompiler = new Precompiler(Console.Out, Console.Error)
        {
            InfoOnly = info,
            IlOnly = ilOnly,
            // Every engine of the executor (TransactionEngines): our CPython runner declares the soft-float policy, so
            // its det VMs use the soft-float configuration, and nondet VMs the non-det one (each its own cache key).
            Configurations =
            [
                ("wasm run", new EngineConfig()),
                ("executor det", VmRunner.DeterministicConfig()),
                ("executor det softfloat", TransactionEngines.DetSoftFloatConfig()),
                ("executor nondet", VmRunner.NondetConfig()),
            ],
        };
        return Task.FromResult(precompiler.Run([runners]));
    }
}
