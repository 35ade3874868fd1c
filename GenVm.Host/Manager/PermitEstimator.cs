using System.Globalization;

namespace GenVm.Host.Manager;

/// <summary>The automatic permit total of manager.md §5.1.</summary>
internal static class PermitEstimator
{
    private const long GiB = 1L << 30;

    /// <summary>
    /// max(2, ⌊(free RAM + free swap, in whole GiB) / 4⌋) on Linux (from <c>/proc/meminfo</c>: <c>MemFree</c> and
    /// <c>SwapFree</c>); 8 on macOS and wherever the figures cannot be read.
    /// </summary>
    public static int Estimate()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                return FromMeminfo(File.ReadAllText("/proc/meminfo"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                return 8;
            }
        }

        return 8;
    }

    /// <summary>The estimate from the text of <c>/proc/meminfo</c> (values in kB).</summary>
    /// <exception cref="FormatException">A field is missing.</exception>
    public static int FromMeminfo(string meminfo)
    {
        ArgumentNullException.ThrowIfNull(meminfo);
        long Field(string name)
        {
            foreach (var line in meminfo.Split('\n'))
            {
                if (line.StartsWith(name + ":", StringComparison.Ordinal))
                {
                    var value = line[(name.Length + 1)..].Trim();
                    if (value.EndsWith(" kB", StringComparison.Ordinal))
                    {
                        value = value[..^3];
                    }

                    return long.Parse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture) * 1024;
                }
            }

            throw new FormatException($"/proc/meminfo has no {name}");
        }

        var gib = (Field("MemFree") + Field("SwapFree")) / GiB;
        return (int)Math.Max(2, gib / 4);
    }
}
