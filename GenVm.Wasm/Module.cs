using GenVm.Wasm.Binary;
using GenVm.Wasm.Compilation;
using GenVm.Wasm.Validation;

namespace GenVm.Wasm;

/// <summary>A decoded, validated and compiled WebAssembly module. Immutable; instantiate it many times.</summary>
public sealed class Module
{
    private Module(Engine engine, ModuleDefinition definition, string? name)
    {
        Engine = engine;
        Definition = definition;
        Name = name ?? definition.Names.ModuleName;
        Imports = definition.GetImportDescriptors();
        Exports = definition.GetExportDescriptors();
        Compiled = ModuleCompiler.Compile(engine, definition, Name);
    }

    /// <summary>The engine this module was compiled for.</summary>
    public Engine Engine { get; }

    /// <summary>The name given at load, else the name section's module name, else null.</summary>
    public string? Name { get; }

    /// <summary>The module's imports, in index order.</summary>
    public IReadOnlyList<ImportDescriptor> Imports { get; }

    /// <summary>The module's exports, in declaration order.</summary>
    public IReadOnlyList<ExportDescriptor> Exports { get; }

    internal ModuleDefinition Definition { get; }

    internal CompiledModule Compiled { get; }

    /// <summary>Decodes, validates and compiles a module binary.</summary>
    /// <exception cref="ModuleDecodeException">The binary is malformed.</exception>
    /// <exception cref="ModuleValidationException">The module is invalid or uses a disabled feature.</exception>
    public static Module FromBytes(Engine engine, ReadOnlySpan<byte> wasm, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var definition = ModuleDecoder.Decode(wasm, engine.Config.Features);
        ModuleValidator.Validate(definition, engine.Config.Features);
        return new Module(engine, definition, name);
    }

    /// <summary>Reads a module binary from a file; see <see cref="FromBytes"/>.</summary>
    public static Module FromFile(Engine engine, string path, string? name = null) =>
        FromBytes(engine, File.ReadAllBytes(path), name);
}
