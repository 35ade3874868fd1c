using System;
using System.Collections.Generic;
using GenVm.Generators.Emit;
using GenVm.Generators.Json;
using GenVm.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace GenVm.Generators;

/// <summary>Parses, validates and renders one constants file; every failure becomes a diagnostic.</summary>
internal static class ProtocolConstantsBuilder
{
    /// <summary>Builds the C# sources for the file at <paramref name="path"/>, or the diagnostic explaining why not.</summary>
    public static GenerationResult Build(string path, SourceText? text)
    {
        if (text is null)
        {
            return Failure(path, Diagnostic.Create(GeneratorDiagnostics.GeneratorFailure, Location.None, path, "the file could not be read"));
        }

        try
        {
            var groups = ConstantsSchemaReader.Read(JsonReader.Parse(text.ToString()));
            return new GenerationResult(path, CSharpEmitter.Emit(groups), []);
        }
        catch (JsonSyntaxException e)
        {
            return Failure(path, Positioned(GeneratorDiagnostics.MalformedJson, path, text, e.Offset, 0, e.Message));
        }
        catch (SchemaException e)
        {
            return Failure(path, Positioned(GeneratorDiagnostics.InvalidSchema, path, text, e.Start, e.Length, e.Message));
        }
#pragma warning disable CA1031 // A generator must never throw into the compiler: any bug becomes GENVM003.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Failure(path, Diagnostic.Create(GeneratorDiagnostics.GeneratorFailure, Location.None, path, e.ToString()));
        }
    }

    private static GenerationResult Failure(string path, Diagnostic diagnostic)
        => new(path, [], new List<Diagnostic> { diagnostic });

    private static Diagnostic Positioned(DiagnosticDescriptor descriptor, string path, SourceText text, int start, int length, string message)
    {
        start = Math.Min(Math.Max(start, 0), text.Length);
        var span = new TextSpan(start, Math.Min(length, text.Length - start));
        var lines = text.Lines.GetLinePositionSpan(span);
        var location = Location.Create(path, span, lines);

        // Lines and columns are 1-based in the message, as editors show them; the location itself is 0-based.
        return Diagnostic.Create(descriptor, location, path, message, lines.Start.Line + 1, lines.Start.Character + 1);
    }
}
