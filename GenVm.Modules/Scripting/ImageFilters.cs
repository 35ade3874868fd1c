namespace GenVm.Modules.Scripting;

/// <summary>
/// <c>filter_image(bytes, filters)</c> (modules.md §3.8), scoped to what we can do without an image library (none is in
/// the package mirror): the input format is sniffed (PNG, JPEG, WebP) and a PNG with an empty filter list is returned
/// unchanged. Every pixel filter (<c>Denoise</c>, which fails in the reference too, <c>Unsharpen</c>,
/// <c>GuassianNoise</c>, <c>JPEG</c>) and re-encoding another format as PNG fail with a fatal error
/// (docs/decisions.md "Image filters"). The default scripts never call it.
/// </summary>
internal static class ImageFilters
{
    /// <summary>Applies the filters; see the type remarks for the supported subset.</summary>
    /// <exception cref="LuaScriptException">Unrecognised input, or a filter we cannot apply.</exception>
    public static byte[] Apply(byte[] image, LuaTableValue? filters)
    {
        var format = Sniff(image) ?? throw new LuaScriptException("filter_image: the format of the image could not be determined");
        if (filters is { Count: > 0 })
        {
            var first = filters.IsSequence ? filters.SequenceValues()[0] : filters.Entries[0].Value;
            var name = first is LuaTableValue t && t.Count > 0 ? t.Entries[0].Key.ToString() : "?";
            throw new LuaScriptException($"filter_image: filter {name} is not supported by this implementation (no image library)");
        }

        return format == "png" ? image : throw new LuaScriptException($"filter_image: re-encoding {format} as PNG is not supported by this implementation");
    }

    /// <summary>PNG, JPEG or WebP by signature.</summary>
    public static string? Sniff(ReadOnlySpan<byte> image)
    {
        if (image.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "png";
        }

        if (image.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "jpeg";
        }

        return image.Length >= 12 && image[..4].SequenceEqual("RIFF"u8) && image[8..12].SequenceEqual("WEBP"u8) ? "webp" : null;
    }
}
