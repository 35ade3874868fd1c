using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace GenVm.Tests.Generators;

/// <summary>An AdditionalFiles item whose content lives in memory.</summary>
internal sealed class InMemoryAdditionalText : AdditionalText
{
    private readonly SourceText _text;

    public InMemoryAdditionalText(string path, string text)
    {
        Path = path;
        _text = SourceText.From(text);
    }

    public override string Path { get; }

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
