namespace GenVm.Modules.Llm;

/// <summary>Image sniffing (modules.md §2.5): PNG, or JPEG with the JFIF marker only.</summary>
internal static class LlmImageKind
{
    private static ReadOnlySpan<byte> PngMagic => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> JfifMagic => [0xFF, 0xD8, 0xFF, 0xE0];

    /// <summary>The media type, or null when the bytes are neither (EXIF JPEGs included, as in the reference).</summary>
    public static string? Sniff(ReadOnlySpan<byte> image)
        => image.StartsWith(PngMagic) ? "image/png"
            : image.StartsWith(JfifMagic) ? "image/jpeg"
            : null;
}
