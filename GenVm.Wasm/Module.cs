using System.Security.Cryptography;
using GenVm.Wasm.Binary;
using GenVm.Wasm.Compilation;
using GenVm.Wasm.Validation;

namespace GenVm.Wasm;

/// <summary>A decoded, validated and compiled WebAssembly module. Immutable; instantiate it many times.</summary>
public sealed class Module
{
    private readonly byte[] _sha256;

    private Module(Engine engine, byte[] sha256, ModuleDefinition definition, string? name, Func<string?, CompiledModule> compile, bool fromCache)
    {
        Engine = engine;
        _sha256 = sha256;
        Definition = definition;
        Name = name ?? definition.Names.ModuleName;
        Imports = definition.GetImportDescriptors();
        Exports = definition.GetExportDescriptors();
        Compiled = compile(Name);
        IsFromCache = fromCache;
    }

    /// <summary>The engine this module was compiled for.</summary>
    public Engine Engine { get; }

    /// <summary>
    /// The SHA-256 of the module's wasm bytes (32 bytes), computed once at load. Embedders key caches and snapshots
    /// by it instead of hashing the bytes again; the compile cache key is derived from it.
    /// </summary>
    public ReadOnlySpan<byte> Sha256 => _sha256;

    /// <summary>The name given at load, else the name section's module name, else null.</summary>
    public string? Name { get; }

    /// <summary>The module's imports, in index order.</summary>
    public IReadOnlyList<ImportDescriptor> Imports { get; }

    /// <summary>The module's exports, in declaration order.</summary>
    public IReadOnlyList<ExportDescriptor> Exports { get; }

    /// <summary>
    /// Whether the compiled code and the module's metadata came from the compile cache
    /// (<see cref="EngineConfig.CacheDirectory"/>), so decoding, validation and IL emission were skipped.
    /// </summary>
    public bool IsFromCache { get; }

    internal ModuleDefinition Definition { get; }

    internal CompiledModule Compiled { get; }

    /// <summary>
    /// The background write of this module's compile cache entry when it was compiled lazily on a cache miss, else
    /// null (tests wait for it; the process waits for it at exit).
    /// </summary>
    internal Task? PendingCacheWrite { get; private init; }

    /// <summary>
    /// Decodes, validates and compiles a module binary. With a compile cache (<see cref="EngineConfig.CacheDirectory"/>)
    /// a hit only hashes the bytes and reads the entry: the module's metadata and compiled code come from it, and
    /// decoding, validation and IL emission are skipped.
    /// </summary>
    /// <exception cref="ModuleDecodeException">The binary is malformed.</exception>
    /// <exception cref="ModuleValidationException">The module is invalid or uses a disabled feature.</exception>
    public static Module FromBytes(Engine engine, ReadOnlySpan<byte> wasm, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var start = PhaseTimings.Start();
        // The one pass of SHA-256 over the bytes: the compile cache key, snapshot identity and embedders use it.
        var sha256 = SHA256.HashData(wasm);
        PhaseTimings.Stop("hash", start);
        byte[]? key = null;
        if (engine.Config.CacheDirectory is { } directory)
        {
            // The key covers the exact bytes, the engine build and its configuration, and an entry is only written
            // after validation succeeded, so a verified hit skips decoding, validation and compilation.
            start = PhaseTimings.Start();
            key = ModuleCache.KeyOfHash(engine.Config, sha256);
            var image = ModuleCache.TryRead(directory, key, wasm);
            PhaseTimings.Stop("cache read", start);
            if (image?.Definition is { } cached)
            {
                try
                {
                    return new Module(engine, sha256, cached, name, n => image.Load(cached, n), fromCache: true);
                }
                catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or TypeLoadException or MissingMemberException)
                {
                    ModuleCache.Reject(directory, key, ex.Message);
                }
            }
        }

        start = PhaseTimings.Start();
        var definition = ModuleDecoder.Decode(wasm, engine.Config.Features);
        PhaseTimings.Stop("decode", start);
        start = PhaseTimings.Start();
        ModuleValidator.Validate(definition, engine.Config.Features);
        PhaseTimings.Stop("validate", start);
        if (key is not null)
        {
            return CompileToCache(engine, sha256, key, definition, name, engine.Config.CacheDirectory!);
        }

        return IsLazy(engine, definition)
            ? new Module(engine, sha256, definition, name, n => LazyModule.Create(engine, definition, n).Compiled, fromCache: false)
            : new Module(engine, sha256, definition, name, n => ModuleCompiler.Compile(engine, definition, n), fromCache: false);
    }

    /// <summary>Whether <paramref name="definition"/> is compiled on demand (<see cref="EngineConfig.LazyCompilation"/>).</summary>
    private static bool IsLazy(Engine engine, ModuleDefinition definition) => engine.Config.LazyCompilation switch
    {
        LazyCompilation.Always => true,
        LazyCompilation.Never => false,
        _ => definition.FunctionTypeIndices.Count > ModuleCompiler.FullOptsFunctionLimit,
    };

    /// <summary>A cache miss of a validated <paramref name="definition"/>: compiles it and writes its entry.</summary>
    private static Module CompileToCache(Engine engine, byte[] sha256, byte[] key, ModuleDefinition definition, string? name, string directory)
    {
        if (IsLazy(engine, definition) && (engine.Config.LazyCompilation == LazyCompilation.Always || IdleCores.AnySpare()))
        {
            // The run starts on lazily emitted code while the cache entry (the eager image, which later processes
            // load with direct calls throughout) is compiled and written on another core. Without an idle core the
            // two compete and the eager path below is faster (less work in total).
            var imageName = name ?? definition.Names.ModuleName;
            var write = ModuleCache.WriteInBackground(directory, key, () => ModuleCompiler.CompileImage(engine, definition, imageName).AttachDefinition(definition));
            return new Module(engine, sha256, definition, name, n => LazyModule.Create(engine, definition, n).Compiled, fromCache: false) { PendingCacheWrite = write };
        }

        var image = ModuleCompiler.CompileImage(engine, definition, name ?? definition.Names.ModuleName).AttachDefinition(definition);
        ModuleCache.TryWrite(directory, key, image);
        return new Module(engine, sha256, definition, name, n => image.Load(definition, n), fromCache: false);
    }

    /// <summary>
    /// Fills the compile cache of <paramref name="engine"/> (<see cref="EngineConfig.CacheDirectory"/>) with
    /// <paramref name="wasm"/> without loading it; with <paramref name="crossgen2"/> (the path of the .NET
    /// ReadyToRun compiler) the entry's IL is also compiled to native code, so later processes do not JIT it.
    /// Returns whether the entry holds native code.
    /// </summary>
    /// <exception cref="InvalidOperationException">The engine has no cache directory, the entry cannot be written, or crossgen2 failed.</exception>
    /// <exception cref="ModuleDecodeException">The binary is malformed.</exception>
    /// <exception cref="ModuleValidationException">The module is invalid.</exception>
    public static bool Precompile(Engine engine, ReadOnlySpan<byte> wasm, string? crossgen2 = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var directory = engine.Config.CacheDirectory ?? throw new InvalidOperationException("the engine has no cache directory");
        var key = ModuleCache.Key(engine.Config, wasm);
        var image = ModuleCache.TryRead(directory, key);
        if (image is null)
        {
            var definition = ModuleDecoder.Decode(wasm, engine.Config.Features);
            ModuleValidator.Validate(definition, engine.Config.Features);
            ModuleCache.TryWrite(directory, key, ModuleCompiler.CompileImage(engine, definition, definition.Names.ModuleName).AttachDefinition(definition));
        }

        if (crossgen2 is null)
        {
            return image?.NativeImagePath is not null;
        }

        return ModuleCache.TryMakeNative(directory, key, crossgen2)
            ? true
            : throw new InvalidOperationException($"cannot write the compile cache entry in {directory}");
    }

    /// <summary>Reads a module binary from a file; see <see cref="FromBytes"/>.</summary>
    public static Module FromFile(Engine engine, string path, string? name = null) =>
        FromBytes(engine, File.ReadAllBytes(path), name);
}
