using System.Runtime.InteropServices;

namespace GenVm.Modules.Scripting;

/// <summary>
/// NFC / NFKC through the system ICU (<c>libicuuc</c>). The process runs with <c>InvariantGlobalization</c>, where
/// <see cref="string.Normalize(System.Text.NormalizationForm)"/> does nothing, so the filters of modules.md §3.8 call
/// ICU's <c>unorm2</c> API directly (docs/decisions.md "Greybox text filters").
/// </summary>
internal static unsafe class IcuNormalizer
{
    private static readonly Lazy<Api?> Loaded = new(Load);

    /// <summary>Whether ICU could be loaded.</summary>
    public static bool IsAvailable => Loaded.Value is not null;

    /// <summary>Normalises <paramref name="text"/> to NFC (<paramref name="compatibility"/> false) or NFKC.</summary>
    /// <exception cref="InvalidOperationException">ICU is missing or failed.</exception>
    public static string Normalize(string text, bool compatibility)
    {
        var api = Loaded.Value ?? throw new InvalidOperationException("unicode normalization needs libicuuc (ICU), which was not found");
        if (text.Length == 0)
        {
            return text;
        }

        int error = 0;
        var normalizer = compatibility ? api.GetNfkc(&error) : api.GetNfc(&error);
        if (error > 0 || normalizer == IntPtr.Zero)
        {
            throw new InvalidOperationException($"ICU normalizer unavailable (error {error})");
        }

        // NFKC can expand a character up to 18 times (U+FDFA); start at 2x and grow on overflow.
        var capacity = Math.Max(16, text.Length * 2);
        while (true)
        {
            var buffer = new char[capacity];
            error = 0;
            int written;
            fixed (char* source = text)
            fixed (char* destination = buffer)
            {
                written = api.Normalize(normalizer, source, text.Length, destination, capacity, &error);
            }

            // U_BUFFER_OVERFLOW_ERROR = 15; any other positive code is a failure, negative codes are warnings.
            if (error == 15)
            {
                capacity = Math.Max(written, capacity * 2);
                continue;
            }

            if (error > 0)
            {
                throw new InvalidOperationException($"ICU normalization failed (error {error})");
            }

            return new string(buffer, 0, written);
        }
    }

    private static Api? Load()
    {
        foreach (var name in new[] { "libicuuc.so", "libicuuc.so.76", "libicuuc.so.74", "libicuuc.so.72", "libicuuc.so.70", "libicuuc.so.67", "libicuuc.so.63" })
        {
            if (!NativeLibrary.TryLoad(name, out var handle))
            {
                continue;
            }

            // ICU exports versioned symbols (unorm2_normalize_72); the suffix is the library's major version.
            foreach (var suffix in Suffixes())
            {
                if (NativeLibrary.TryGetExport(handle, "unorm2_normalize" + suffix, out var normalize)
                    && NativeLibrary.TryGetExport(handle, "unorm2_getNFCInstance" + suffix, out var nfc)
                    && NativeLibrary.TryGetExport(handle, "unorm2_getNFKCInstance" + suffix, out var nfkc))
                {
                    return new Api(
                        (delegate* unmanaged<int*, IntPtr>)nfc,
                        (delegate* unmanaged<int*, IntPtr>)nfkc,
                        (delegate* unmanaged<IntPtr, char*, int, char*, int, int*, int>)normalize);
                }
            }
        }

        return null;
    }

    private static IEnumerable<string> Suffixes()
    {
        yield return "";
        for (var v = 90; v >= 50; v--)
        {
            yield return "_" + v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private sealed class Api(
        delegate* unmanaged<int*, IntPtr> getNfc,
        delegate* unmanaged<int*, IntPtr> getNfkc,
        delegate* unmanaged<IntPtr, char*, int, char*, int, int*, int> normalize)
    {
        public IntPtr GetNfc(int* error) => getNfc(error);

        public IntPtr GetNfkc(int* error) => getNfkc(error);

        public int Normalize(IntPtr normalizer, char* source, int length, char* destination, int capacity, int* error)
            => normalize(normalizer, source, length, destination, capacity, error);
    }
}
