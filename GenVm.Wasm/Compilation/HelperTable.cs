using System.Reflection;
using System.Reflection.Emit;

namespace GenVm.Wasm.Compilation;

/// <summary>The per-module helpers of <see cref="ModuleCompilation"/>, by what they stand for.</summary>
internal sealed class HelperTable
{
    /// <summary>Metadata tokens of fields of GenVm.Wasm (see <see cref="ModuleCompilation.FieldToken"/>).</summary>
    public Dictionary<FieldInfo, int> FieldTokens { get; } = [];

    /// <summary>Local forwarders to methods of GenVm.Wasm (<see cref="ModuleCompilation.Forwarder"/>).</summary>
    public Dictionary<MethodInfo, MethodBuilder> Forwarders { get; } = [];

    /// <summary>Calli stubs by signature and tail flag (<see cref="ModuleCompilation.CalliStub"/>).</summary>
    public Dictionary<(FuncType Type, bool Tail), MethodBuilder> CalliStubs { get; } = [];

    /// <summary>Signature id fields by type index (<see cref="ModuleCompilation.SignatureIdField"/>).</summary>
    public Dictionary<int, FieldBuilder> SignatureFields { get; } = [];
}
