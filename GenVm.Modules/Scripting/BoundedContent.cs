namespace GenVm.Modules.Scripting;

/// <summary>
/// Reads an HTTP body with a size cap, failing before the whole body is buffered: a page or API answer larger than the
/// operator allows must not be able to exhaust the module's memory (script requests and the static renderer).
/// </summary>
internal static class BoundedContent
{
    /// <summary>The body of <paramref name="content"/>, or <see cref="InvalidDataException"/> naming <paramref name="what"/> when it exceeds <paramref name="limit"/> bytes.</summary>
    public static async Task<byte[]> ReadAsync(HttpContent content, long limit, string what, CancellationToken cancellationToken)
    {
        // A declared length over the cap fails without reading; an undeclared or lying one is caught while reading.
        if (content.Headers.ContentLength is { } declared && declared > limit)
        {
            throw new InvalidDataException($"{what} of {declared} bytes exceeds the limit of {limit}");
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + read > limit)
            {
                throw new InvalidDataException($"{what} exceeds the limit of {limit} bytes");
            }

            buffer.Write(chunk, 0, read);
        }
    }
}
