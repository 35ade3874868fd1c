using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace GenVm.Generators;

/// <summary>What one generator run produces: sources when the file is valid, diagnostics otherwise.</summary>
internal sealed class GenerationResult
{
    public GenerationResult(string path, IReadOnlyList<KeyValuePair<string, string>> sources, IReadOnlyList<Diagnostic> diagnostics)
    {
        Path = path;
        Sources = sources;
        Diagnostics = diagnostics;
    }

    /// <summary>Path of the constants file.</summary>
    public string Path { get; }

    /// <summary>(hint name, C# source) pairs.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Sources { get; }

    /// <summary>Errors to report.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }
}
