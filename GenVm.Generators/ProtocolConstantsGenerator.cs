using System;
using System.Collections.Immutable;
using System.IO;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace GenVm.Generators;

/// <summary>
/// Generates the enums and constant classes of namespace <c>GenVm.Core.Protocol</c> from the AdditionalFiles item
/// named <c>constants.json</c> (protocol/README.md describes the schema).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ProtocolConstantsGenerator : IIncrementalGenerator
{
    /// <summary>File name of the constants file among the AdditionalFiles.</summary>
    public const string FileName = "constants.json";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Where(static file => string.Equals(Path.GetFileName(file.Path), FileName, StringComparison.OrdinalIgnoreCase))
            .Select(static (file, cancellationToken) => ProtocolConstantsBuilder.Build(file.Path, file.GetText(cancellationToken)))
            .Collect();
        context.RegisterSourceOutput(files, static (output, results) => Report(output, results));
    }

    private static void Report(SourceProductionContext output, ImmutableArray<GenerationResult> results)
    {
        if (results.Length > 1)
        {
            // Two files would generate the same types twice; say so instead of failing on duplicate hint names.
            foreach (var result in results)
            {
                output.ReportDiagnostic(Diagnostic.Create(
                    GeneratorDiagnostics.GeneratorFailure,
                    Location.None,
                    result.Path,
                    $"more than one AdditionalFiles item is named {FileName}"));
            }

            return;
        }

        foreach (var result in results)
        {
            foreach (var diagnostic in result.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic);
            }

            foreach (var source in result.Sources)
            {
                output.AddSource(source.Key, SourceText.From(source.Value, Encoding.UTF8));
            }
        }
    }
}
