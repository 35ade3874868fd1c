using System.Text;
using System.Text.RegularExpressions;
using GenVm.Core.Protocol;
using GenVm.Core.Wasi;

namespace GenVm.Core.Runners;

/// <summary>
/// Executes a contract archive's <c>runner.json</c> (runners.md §4, §8) into a <see cref="RunnerLoadResult"/>: files,
/// args, environment, linked modules and the started module. Every failure is a <see cref="RunnerLoadException"/>.
/// </summary>
internal sealed partial class RunnerLoader
{
    /// <summary>The member of a runner archive that declares its det float policy (ours; docs/decisions.md).</summary>
    public const string FloatPolicyMember = "genvm-float-policy";

    /// <summary>
    /// The member of a runner archive that declares its started module a reactor (content <c>reactor</c>): our CPython
    /// runner, driven through <c>genvm_init</c> / <c>genvm_import</c> / <c>genvm_run</c> instead of <c>_start</c> so the
    /// started interpreter can be snapshotted (ours; docs/decisions.md "Python snapshots").
    /// </summary>
    public const string StartKindMember = "genvm-start";

    /// <summary>Charge per mapped file besides its destination length (wasm-abi.md §12 <c>file_mapping</c>).</summary>
    public const long FileMappingCharge = 256;

    private readonly RunnerRegistry _registry;

    /// <summary>Uses <paramref name="registry"/> for <c>Depends</c>/<c>With</c>.</summary>
    public RunnerLoader(RunnerRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
    }

    /// <summary>
    /// Loads one VM: charges the contract archive, checks its version against the transaction time, parses and runs
    /// its runner.json. Cancellation is checked before each action and while mapping directories (→ <c>timeout</c>).
    /// Successful loads are remembered in the registry per contract archive instance, determinism, debug mode and
    /// contract key (everything they depend on besides the time check; loaders over one registry share them): a repeated load replays the same charges in the same order and returns the
    /// same result, whose <see cref="RunnerLoadResult.FileSystem"/> is shared and must be treated as read-only.
    /// </summary>
    /// <exception cref="RunnerLoadException">The VM error to end with (or an internal error when no StartWasm ran).</exception>
    public RunnerLoadResult Load(RunnerLoadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var memoKey = (request.Deterministic, request.DebugMode, request.ContractKey);
        var memos = _registry.Memos.GetOrCreateValue(request.Contract);
        if (memos.TryGetValue(memoKey, out var memo))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new RunnerLoadException(VmErrorText.Timeout, "cancelled while loading runners");
            }

            // Same order as the first load: the archive charge, then the version check, then the actions' charges.
            Replay(request, memo.Charges.AsSpan(0, 1));
            var version = VersionGate.ParseAndCheck(request.Contract, request.TransactionUnixSeconds);
            Replay(request, memo.Charges.AsSpan(1));
            return memo.Result.Version == version ? memo.Result : throw new InvalidOperationException("version changed for the same archive");
        }

        var result = LoadCore(request, cancellationToken, out var charges);
        memos.TryAdd(memoKey, new Memo(result, charges));
        return result;
    }

    private RunnerLoadResult LoadCore(RunnerLoadRequest request, CancellationToken cancellationToken, out long[] charges)
    {
        var state = new LoadState(request, cancellationToken);
        state.ChargeArchive(request.Contract);
        var version = VersionGate.ParseAndCheck(request.Contract, request.TransactionUnixSeconds);
        var contract = new Current(request.Contract, request.ContractKey, IsRunner: false);
        state.Processed.Add(RunnerId.ContractToken);
        Execute(state, contract, contract.Archive.Actions);
        if (state.Start is null)
        {
            throw new RunnerLoadException(VmErrorText.InvalidContract, "runner.json finished without StartWasm", isInternalError: true);
        }

        charges = [.. state.Charges];
        return new RunnerLoadResult
        {
            Start = state.Start,
            Linked = [.. state.Linked],
            FileSystem = state.FileSystem,
            Args = [.. state.Args],
            Environment = state.FrozenEnvironment!,
            Version = version,
            SoftFloat = state.SoftFloat,
            Reactor = state.Reactor,
            ChargedBytes = state.Charged,
        };
    }

    private static void Replay(RunnerLoadRequest request, ReadOnlySpan<long> charges)
    {
        if (request.Charge is not { } charge)
        {
            return;
        }

        foreach (var bytes in charges)
        {
            if (!charge(bytes))
            {
                throw new RunnerLoadException(VmErrorText.Oom, $"memory limit reached charging {bytes} bytes");
            }
        }
    }

    private void Execute(LoadState state, Current current, RunnerAction action)
    {
        if (state.Start is not null)
        {
            return;
        }

        state.CheckCancelled();
        switch (action)
        {
            case SeqAction seq:
                foreach (var step in seq.Actions)
                {
                    Execute(state, current, step);
                    if (state.Start is not null)
                    {
                        break;
                    }
                }

                break;
            case WhenAction condition:
                if (condition.Deterministic == state.Request.Deterministic)
                {
                    Execute(state, current, condition.Action);
                }

                break;
            case MapFileAction map:
                MapFile(state, current, map);
                break;
            case AddEnvAction env:
                state.Environment[env.Name] = Substitute(env.Value, state.Environment);
                break;
            case SetArgsAction args:
                state.Args.AddRange(args.Args);
                break;
            case LinkWasmAction link:
                var linked = Member(current, link.Path);
                var name = WasmCustomSections.ModuleName(linked)
                    ?? throw new RunnerLoadException(VmErrorText.InvalidContractWasm, $"LinkWasm {link.Path}: the module has no name");
                state.Linked.Add(new RunnerModule(current.Key, link.Path, linked, name));
                break;
            case StartWasmAction start:
                var started = Member(current, start.Path);
                state.FrozenEnvironment = state.Environment
                    .OrderBy(pair => pair.Key, Utf8NameComparer.Instance)
                    .ToArray();
                state.SoftFloat = state.Request.Deterministic && current.IsRunner && DeclaresSoftFloat(current.Archive);
                state.Reactor = current.IsRunner && DeclaresReactor(current.Archive);
                state.Start = new RunnerModule(current.Key, start.Path, started, null);
                break;
            case DependsAction depends:
                var (dependencyKey, dependency) = Resolve(state, depends.Runner);
                if (state.Processed.Add(dependencyKey))
                {
                    state.ChargeArchive(dependency.Archive);
                    Execute(state, dependency, dependency.Archive.Actions);
                }

                break;
            case WithAction with:
                var (_, target) = Resolve(state, with.Runner);
                state.ChargeArchive(target.Archive);
                Execute(state, target, with.Action);
                break;
            default:
                throw new InvalidOperationException("unknown action type " + action.GetType().Name);
        }
    }

    private (string Key, Current Archive) Resolve(LoadState state, string reference)
    {
        if (reference == RunnerId.ContractToken)
        {
            return (RunnerId.ContractToken, new Current(state.Request.Contract, state.Request.ContractKey, IsRunner: false));
        }

        var id = _registry.Resolve(reference, state.Request.DebugMode);
        var key = id.ToString();
        return (key, new Current(_registry.Load(id), key, IsRunner: true));
    }

    private static void MapFile(LoadState state, Current current, MapFileAction map)
    {
        if (!map.File.EndsWith('/'))
        {
            if (!current.Archive.TryGetMember(map.File, out var single))
            {
                throw RunnerLoadException.Invalid($"MapFile: no member {map.File} in {current.Key}");
            }

            state.Map(map.To, single, Origin(current, map.File));
            return;
        }

        // runners.md §4: "/" maps every member; other prefixes map the members below them, minus the prefix.
        var prefix = map.File == "/" ? string.Empty : map.File;
        var to = map.To.EndsWith('/') ? map.To : map.To + "/";
        foreach (var (path, contents) in current.Archive.Members)
        {
            if (path.EndsWith('/') || !path.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            state.CheckCancelled();
            state.Map(to + path[prefix.Length..], contents, Origin(current, path));
        }
    }

    // A runner id is the hash of its tar (runners.md §5), so id and member path name the bytes for good; the
    // contract's own archive has no such name.
    private static string? Origin(Current current, string member) => current.IsRunner ? current.Key + "\0" + member : null;

    private static ReadOnlyMemory<byte> Member(Current current, string path) =>
        current.Archive.TryGetMember(path, out var bytes)
            ? bytes
            : throw RunnerLoadException.Invalid($"no member {path} in {current.Key}");

    private static bool DeclaresSoftFloat(RunnerArchive archive) =>
        archive.TryGetMember(FloatPolicyMember, out var policy) && Encoding.UTF8.GetString(policy.Span).Trim() == "softfloat";

    private static bool DeclaresReactor(RunnerArchive archive) =>
        archive.TryGetMember(StartKindMember, out var kind) && Encoding.UTF8.GetString(kind.Span).Trim() == "reactor";

    /// <summary>
    /// runners.md §4 / config.md §1: <c>${NAME}</c> is a variable set earlier in this load (unknown → error),
    /// <c>${ENV[NAME]}</c> is always empty here; names are <c>[A-Za-z0-9_]*</c>; no escapes, no recursion.
    /// </summary>
    internal static string Substitute(string value, IReadOnlyDictionary<string, string> variables) =>
        VariablePattern().Replace(value, match =>
        {
            if (match.Groups["env"].Success)
            {
                return string.Empty;
            }

            var name = match.Groups["name"].Value;
            return variables.TryGetValue(name, out var known)
                ? known
                : throw RunnerLoadException.Invalid($"AddEnv: unknown variable `{name}`");
        });

    [GeneratedRegex(@"\$\{(?:ENV\[(?<env>[A-Za-z0-9_]*)\]|(?<name>[A-Za-z0-9_]*))\}", RegexOptions.CultureInvariant)]
    private static partial Regex VariablePattern();

    /// <summary>A successful load and the charges it made, in order.</summary>
    internal sealed record Memo(RunnerLoadResult Result, long[] Charges);

    /// <summary>The archive actions currently run against, with its cache key.</summary>
    private sealed record Current(RunnerArchive Archive, string Key, bool IsRunner);

    /// <summary>Mutable state of one load.</summary>
    private sealed class LoadState(RunnerLoadRequest request, CancellationToken cancellationToken)
    {
        private readonly HashSet<string> _mappedFiles = new(StringComparer.Ordinal);
        private readonly HashSet<string> _mappedDirectories = new(StringComparer.Ordinal);

        public RunnerLoadRequest Request { get; } = request;

        public HashSet<string> Processed { get; } = new(StringComparer.Ordinal);

        public VirtualFileSystem FileSystem { get; } = new();

        public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

        public List<string> Args { get; } = [];

        public List<RunnerModule> Linked { get; } = [];

        public RunnerModule? Start { get; set; }

        public KeyValuePair<string, string>[]? FrozenEnvironment { get; set; }

        public bool SoftFloat { get; set; }

        public bool Reactor { get; set; }

        public long Charged { get; private set; }

        public List<long> Charges { get; } = [];

        public void CheckCancelled()
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new RunnerLoadException(VmErrorText.Timeout, "cancelled while loading runners");
            }
        }

        public void ChargeArchive(RunnerArchive archive) => Charge(archive.TotalSize, "archive");

        /// <summary>Maps one file; the same destination twice, a path below a mapped file or over a mapped directory fails (§4).</summary>
        public void Map(string destination, ReadOnlyMemory<byte> contents, string? origin)
        {
            var normalized = string.Join('/', destination.Split('/', StringSplitOptions.RemoveEmptyEntries));
            if (normalized.Length == 0)
            {
                throw RunnerLoadException.Invalid($"MapFile: cannot map a file at `{destination}`");
            }

            if (_mappedFiles.Contains(normalized) || _mappedDirectories.Contains(normalized))
            {
                throw RunnerLoadException.Invalid($"MapFile: `{destination}` is already mapped");
            }

            for (var slash = normalized.IndexOf('/'); slash >= 0; slash = normalized.IndexOf('/', slash + 1))
            {
                if (_mappedFiles.Contains(normalized[..slash]))
                {
                    throw RunnerLoadException.Invalid($"MapFile: `{destination}` is below a mapped file");
                }
            }

            Charge(FileMappingCharge + Encoding.UTF8.GetByteCount(destination), "file mapping");
            for (var slash = normalized.LastIndexOf('/'); slash >= 0 && _mappedDirectories.Add(normalized[..slash]); slash = normalized.LastIndexOf('/', slash - 1))
            {
                // Parents are added deepest first; an already known parent means all its ancestors are known too.
                if (slash == 0)
                {
                    break;
                }
            }

            _mappedFiles.Add(normalized);
            FileSystem.MapFile(normalized, contents, origin);
        }

        private void Charge(long bytes, string what)
        {
            if (Request.Charge is { } charge && !charge(bytes))
            {
                throw new RunnerLoadException(VmErrorText.Oom, $"memory limit reached charging {bytes} bytes ({what})");
            }

            Charged += bytes;
            Charges.Add(bytes);
        }
    }
}
