using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using GenVm.Wasm;

namespace GenVm.Host.Verbs;

/// <summary>
/// Fills the engine's compile cache (<see cref="CompileCacheDirectory"/>) for wasm files and for the core wasm
/// members of runner tars (config.md §4: members ending in <c>.wasm</c> or <c>.so</c> that are core WebAssembly),
/// compiling them to native code with crossgen2 when it is available (<see cref="Crossgen2Locator"/>).
/// </summary>
internal sealed class Precompiler
{
    private static readonly byte[] CoreWasmHeader = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

    private readonly TextWriter _out;
    private readonly TextWriter _error;

    public Precompiler(TextWriter output, TextWriter error)
    {
        _out = output;
        _error = error;
    }

    /// <summary>Only list what would be precompiled (<c>genvm precompile --info</c>).</summary>
    public bool InfoOnly { get; init; }

    /// <summary>Skip the native (crossgen2) step.</summary>
    public bool IlOnly { get; init; }

    /// <summary>The cache to fill (default: <see cref="CompileCacheDirectory.Resolve"/>; null: disabled).</summary>
    public string? CacheDirectory { get; init; } = CompileCacheDirectory.Resolve();

    /// <summary>The engine configurations to compile for (each has its own cache keys); default: that of <c>genvm wasm run</c>.</summary>
    public IReadOnlyList<(string Label, EngineConfig Config)> Configurations { get; init; } = [("wasm run", new EngineConfig())];

    /// <summary>crossgen2 (default: <see cref="Crossgen2Locator.Find"/>; null: IL only).</summary>
    public string? Crossgen2 { get; init; } = Crossgen2Locator.Find();

    /// <summary>
    /// Precompiles every wasm file and runner tar under <paramref name="paths"/> (files or directories, walked
    /// recursively); returns the exit code: 0, or 1 when something failed or there is no cache directory.
    /// </summary>
    public int Run(IEnumerable<string> paths)
    {
        var directory = CacheDirectory;
        if (directory is null)
        {
            _error.WriteLine($"Error: the compile cache is disabled ({CompileCacheDirectory.Variable})");
            return 1;
        }

        var crossgen2 = IlOnly ? null : Crossgen2;
        _out.WriteLine($"cache: {directory}");
        _out.WriteLine($"native compiler: {crossgen2 ?? "none (IL only)"}");
        var engines = Configurations.Select(c => (c.Label, Engine: new Engine(c.Config.WithCacheDirectory(directory)))).ToList();
        var failures = 0;
        var count = 0;
        foreach (var (label, load) in Discover(paths))
        {
            count++;
            if (InfoOnly)
            {
                _out.WriteLine($"would precompile {label}");
                continue;
            }

            foreach (var (configuration, engine) in engines)
            {
                var watch = Stopwatch.StartNew();
                var shown = engines.Count == 1 ? label : $"{label} [{configuration}]";
                try
                {
                    var native = Module.Precompile(engine, load(), crossgen2);
                    _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"precompiled {shown}: {(native ? "native" : "il")} ({watch.Elapsed.TotalSeconds:F1} s)"));
                }
                catch (Exception ex) when (ex is WasmException or InvalidOperationException or IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    failures++;
                    _error.WriteLine($"Error: {shown}: {ex.Message}");
                }
            }
        }

        _out.WriteLine($"{count} module(s), {failures} failure(s)");
        return failures == 0 ? 0 : 1;
    }

    private static IEnumerable<(string Label, Func<byte[]> Load)> Discover(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            var files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                : (IEnumerable<string>)[path];
            foreach (var file in files)
            {
                if (file.EndsWith(".tar", StringComparison.Ordinal))
                {
                    foreach (var member in TarMembers(file))
                    {
                        yield return member;
                    }
                }
                else if ((file.EndsWith(".wasm", StringComparison.Ordinal) || file.EndsWith(".so", StringComparison.Ordinal) || !Directory.Exists(path)) && IsCoreWasm(file))
                {
                    yield return (file, () => File.ReadAllBytes(file));
                }
            }
        }
    }

    private static List<(string Label, Func<byte[]> Load)> TarMembers(string tar)
    {
        var members = new List<(string, Func<byte[]>)>();
        using var stream = File.OpenRead(tar);
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null || !(entry.Name.EndsWith(".wasm", StringComparison.Ordinal) || entry.Name.EndsWith(".so", StringComparison.Ordinal)))
            {
                continue;
            }

            using var buffer = new MemoryStream();
            entry.DataStream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            if (bytes.AsSpan().StartsWith(CoreWasmHeader))
            {
                members.Add(($"{tar}:{entry.Name}", () => bytes));
            }
        }

        return members;
    }

    private static bool IsCoreWasm(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            Span<byte> header = stackalloc byte[8];
            return stream.ReadAtLeast(header, 8, throwOnEndOfStream: false) == 8 && header.SequenceEqual(CoreWasmHeader);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
