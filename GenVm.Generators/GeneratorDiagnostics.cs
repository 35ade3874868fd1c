using Microsoft.CodeAnalysis;

namespace GenVm.Generators;

/// <summary>Diagnostics of the protocol constants generator (protocol/README.md lists them).</summary>
internal static class GeneratorDiagnostics
{
    private const string Category = "GenVm.Protocol";

    /// <summary>GENVM001: constants.json is not valid JSON.</summary>
    public static readonly DiagnosticDescriptor MalformedJson = new(
        "GENVM001",
        "Malformed protocol constants JSON",
        "{0}: {1} (line {2}, column {3})",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>GENVM002: valid JSON that breaks the schema (missing or unknown key, wrong type, bad value).</summary>
    public static readonly DiagnosticDescriptor InvalidSchema = new(
        "GENVM002",
        "Invalid protocol constants",
        "{0}: {1} (line {2}, column {3})",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <summary>GENVM003: anything unexpected; reported instead of letting an exception reach the compiler.</summary>
    public static readonly DiagnosticDescriptor GeneratorFailure = new(
        "GENVM003",
        "Protocol constants generator failed",
        "{0}: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);
}
