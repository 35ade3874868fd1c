using Microsoft.CodeAnalysis;

namespace GenVm.Generators;

/// <summary>Generates the protocol constants from protocol/constants.json (to be written by the foundation issue).</summary>
[Generator]
public sealed class ProtocolConstantsGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
