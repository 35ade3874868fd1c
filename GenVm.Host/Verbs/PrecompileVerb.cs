namespace GenVm.Host.Verbs;

/// <summary>
/// <c>genvm precompile [--info] [--il-only] [--runners-dir DIR]</c>: precompiles every runner's wasm into the compile
/// cache (config.md §3, runners.md §9). The runners directory is <c>--runners-dir</c>, else <c>GENVM_RUNNERS_DIR</c>;
/// every <c>*.tar</c> (core wasm members ending in <c>.wasm</c>/<c>.so</c>) and <c>*.wasm</c> under it is compiled.
/// Exit code 0, 1 when a module failed, 2 on bad usage.
/// </summary>
internal sealed class PrecompileVerb : IVerb
{
    /// <summary>The environment variable naming the runners directory.</summary>
    public const string RunnersVariable = "GENVM_RUNNERS_DIR";

    private const string Usage = "usage: genvm precompile [--info] [--il-only] [--runners-dir DIR]";

    public string Name => "precompile";

    public string Summary => "precompile every runner's wasm into the compile cache: precompile [--info] [--il-only] [--runners-dir DIR]";

    public Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var info = false;
        var ilOnly = false;
        var runners = Environment.GetEnvironmentVariable(RunnersVariable);
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

        if (string.IsNullOrEmpty(runners) || !Directory.Exists(runners))
        {
            // UNKNOWN: the runner registry (runners.md §5) is not wired into the CLI yet; until it is, the
            // directory is given explicitly.
            Console.Error.WriteLine($"Error: no runners directory (--runners-dir or {RunnersVariable}): '{runners}'");
            return Task.FromResult(2);
        }

        var precompiler = new Precompiler(Console.Out, Console.Error) { InfoOnly = info, IlOnly = ilOnly };
        return Task.FromResult(precompiler.Run([runners]));
    }
}
