using GenVm.Core.Calldata;

namespace GenVm.Core.Modules;

/// <summary>
/// The <c>Ok</c> payload of a <c>Render</c> (modules.md §2.6): <c>{"text": Str}</c> for text/HTML or
/// <c>{"image": Bytes}</c> for a screenshot. Exactly one of the two is set.
/// </summary>
public sealed record WebRenderAnswer
{
    private WebRenderAnswer(string? text, ReadOnlyMemory<byte>? image)
    {
        Text = text;
        Image = image;
    }

    /// <summary>The page text or HTML; null for a screenshot.</summary>
    public string? Text { get; }

    /// <summary>The PNG screenshot; null for text/HTML.</summary>
    public ReadOnlyMemory<byte>? Image { get; }

    /// <summary>A text or HTML answer.</summary>
    public static WebRenderAnswer FromText(string text) => new(text ?? throw new ArgumentNullException(nameof(text)), null);

    /// <summary>A screenshot answer.</summary>
    public static WebRenderAnswer FromImage(ReadOnlyMemory<byte> png) => new(null, png);

    /// <summary>The answer map handed to the contract inside <c>{"ok": …}</c>.</summary>
    public CalldataMap ToCalldata()
        => Text is not null
            ? CalldataValue.FromMap(("text", CalldataValue.FromString(Text)))
            : CalldataValue.FromMap(("image", CalldataValue.FromBytes(Image!.Value.Span)));
}
