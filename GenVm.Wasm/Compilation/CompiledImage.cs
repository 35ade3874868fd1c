using System.Buffers.Binary;
using System.Reflection;
using GenVm.Wasm.Binary;

namespace GenVm.Wasm.Compilation;

/// <summary>
/// A module compiled to a saved assembly (<see cref="System.Reflection.Emit.PersistedAssemblyBuilder"/>) plus the
/// compile-time side data that is not in the assembly: what the compile cache stores. Every type and method the
/// compiler generated (functions, outlined parts, forwarders, calli stubs) is in the assembly image, which is either
/// IL or a ReadyToRun image of that IL with native code (<see cref="ReadyToRunCompiler"/>).
/// </summary>
internal sealed class CompiledImage
{
    /// <summary>The simple name of every cached assembly (each is loaded into its own context).</summary>
    public const string AssemblyName = "GenVm.Wasm.Cached";

    private readonly Lock _gate = new();
    private byte[]? _ilImage;
    private Assembly? _assembly;
    private CompiledModule? _bound;

    public CompiledImage(bool[] globalIsDirect, int[][] offsetMaps, OversizedFunction[] oversized)
    {
        GlobalIsDirect = globalIsDirect;
        OffsetMaps = offsetMaps;
        Oversized = oversized;
    }

    /// <summary>The IL assembly image, until it is loaded (null for a native image).</summary>
    public byte[]? IlImage
    {
        get => _ilImage;
        init => _ilImage = value;
    }

    /// <summary>
    /// The module metadata (<see cref="ModuleMetadata"/>) stored in the entry beside the image, so a cache hit needs
    /// no decoding; null until attached (<see cref="AttachDefinition"/>) or read from an entry.
    /// </summary>
    public byte[]? Metadata { get; set; }

    /// <summary>
    /// The module definition the image was compiled from or rebuilt from <see cref="Metadata"/> (shared by the
    /// modules of this image in the process; definitions are immutable after decoding), else null.
    /// </summary>
    public ModuleDefinition? Definition { get; set; }

    /// <summary>Path of a verified ReadyToRun image (loaded from the file: the runtime only runs native code of mapped files).</summary>
    public string? NativeImagePath { get; init; }

    /// <summary>See <see cref="CompiledModule.GlobalIsDirect"/>.</summary>
    public bool[] GlobalIsDirect { get; }

    /// <summary>See <see cref="CompiledModule.OffsetMaps"/>.</summary>
    public int[][] OffsetMaps { get; }

    /// <summary>See <see cref="CompiledModule.Oversized"/>.</summary>
    public OversizedFunction[] Oversized { get; }

    /// <summary>
    /// Binds the image to <paramref name="definition"/>, loading the assembly on first use (later modules of the same
    /// bytes share it: cached assemblies are never unloaded, see docs/decisions.md).
    /// </summary>
    /// <exception cref="BadImageFormatException">The image is not a loadable assembly or does not match.</exception>
    public CompiledModule Load(ModuleDefinition definition, string? name)
    {
        // The same key means the same bytes, so a module bound before (same name for backtraces) is reused: its
        // method table and entry points are already resolved.
        if (Volatile.Read(ref _bound) is { } bound && bound.Name == name)
        {
            return bound;
        }

        var assembly = LoadAssembly();
        var contextType = assembly.GetType("Context", throwOnError: true)!;
        var functionsType = assembly.GetType("Functions", throwOnError: true)!;
        if (GlobalIsDirect.Length != definition.TotalGlobalCount || OffsetMaps.Length != definition.FunctionTypeIndices.Count)
        {
            throw new BadImageFormatException("compiled image does not match the module");
        }

        var start = PhaseTimings.Start();
        var compiled = new CompiledModule(definition, name, contextType, functionsType, Oversized)
        {
            GlobalIsDirect = GlobalIsDirect,
            OffsetMaps = OffsetMaps,
        };
        PhaseTimings.Stop("bind methods", start);
        Volatile.Write(ref _bound, compiled);
        return compiled;
    }

    /// <summary>Records the decoded and validated <paramref name="definition"/> the image was compiled from and its metadata (for the cache entry).</summary>
    public CompiledImage AttachDefinition(ModuleDefinition definition)
    {
        var writer = new MetadataWriter();
        ModuleMetadata.Write(definition, writer);
        Metadata = writer.Encode();
        Definition = definition;
        return this;
    }

    /// <summary>Serialises the side data (part of the cache entry's payload, little-endian).</summary>
    public void WriteSideData(BinaryWriter writer)
    {
        writer.Write(GlobalIsDirect.Length);
        foreach (var direct in GlobalIsDirect)
        {
            writer.Write(direct);
        }

        writer.Write(OffsetMaps.Length);
        foreach (var map in OffsetMaps)
        {
            writer.Write(map?.Length ?? -1);
            foreach (var value in map ?? [])
            {
                writer.Write(value);
            }
        }

        writer.Write(Oversized.Length);
        foreach (var o in Oversized)
        {
            writer.Write(o.FunctionIndex);
            writer.Write(o.IlBytes);
            writer.Write(o.Locals);
            writer.Write(o.Branches);
        }
    }

    /// <summary>Reads what <see cref="WriteSideData"/> wrote from <paramref name="payload"/> at <paramref name="position"/>; every length is checked first.</summary>
    /// <exception cref="InvalidDataException">The payload is malformed.</exception>
    public static (bool[] GlobalIsDirect, int[][] OffsetMaps, OversizedFunction[] Oversized) ReadSideData(ReadOnlySpan<byte> payload, ref int position)
    {
        var globalIsDirect = new bool[ReadCount(payload, ref position, 1)];
        for (var i = 0; i < globalIsDirect.Length; i++)
        {
            globalIsDirect[i] = payload[position++] != 0;
        }

        var offsetMaps = new int[ReadCount(payload, ref position, 4)][];
        for (var i = 0; i < offsetMaps.Length; i++)
        {
            var length = ReadInt(payload, ref position);
            if (length == -1)
            {
                continue;
            }

            Check(length >= 0 && (long)length * 4 <= payload.Length - position);
            var map = new int[length];
            var bytes = payload.Slice(position, length * 4);
            if (BitConverter.IsLittleEndian)
            {
                // One copy per map (CPython's maps hold ~500,000 ints): the payload is little-endian like the host.
                System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(bytes).CopyTo(map);
            }
            else
            {
                for (var j = 0; j < length; j++)
                {
                    map[j] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(j * 4)..]);
                }
            }

            position += length * 4;
            offsetMaps[i] = map;
        }

        var oversized = new OversizedFunction[ReadCount(payload, ref position, 16)];
        for (var i = 0; i < oversized.Length; i++)
        {
            oversized[i] = new OversizedFunction((uint)ReadInt(payload, ref position), ReadInt(payload, ref position), ReadInt(payload, ref position), ReadInt(payload, ref position));
        }

        return (globalIsDirect, offsetMaps, oversized);
    }

    /// <summary>Reads a little-endian int32 at <paramref name="position"/>, checking the bounds.</summary>
    public static int ReadInt(ReadOnlySpan<byte> payload, ref int position)
    {
        Check(payload.Length - position >= 4);
        var value = BinaryPrimitives.ReadInt32LittleEndian(payload[position..]);
        position += 4;
        return value;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> unless <paramref name="condition"/>.</summary>
    public static void Check(bool condition)
    {
        if (!condition)
        {
            throw new InvalidDataException("malformed compile cache payload");
        }
    }

    private static int ReadCount(ReadOnlySpan<byte> payload, ref int position, int unit)
    {
        var count = ReadInt(payload, ref position);
        Check(count >= 0 && (long)count * unit <= payload.Length - position);
        return count;
    }

    private Assembly LoadAssembly()
    {
        lock (_gate)
        {
            if (_assembly is not null)
            {
                return _assembly;
            }

            var start = PhaseTimings.Start();
            var context = new CompiledAssemblyContext();
            if (NativeImagePath is { } path)
            {
                _assembly = context.LoadFromAssemblyPath(path);
            }
            else
            {
                using var stream = new MemoryStream(_ilImage ?? throw new InvalidOperationException("no image"), writable: false);
                _assembly = context.LoadFromStream(stream);
                _ilImage = null;
            }

            PhaseTimings.Stop(NativeImagePath is null ? "load il image" : "load native image", start);
            return _assembly;
        }
    }
}
