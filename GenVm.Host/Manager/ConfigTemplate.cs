using System.Text;
using System.Text.RegularExpressions;

namespace GenVm.Host.Manager;

/// <summary>The <c>${…}</c> templating of config.md §1: <c>exeDir</c>, <c>genvmVersion</c>, <c>ENV[NAME]</c>.</summary>
internal static partial class ConfigTemplate
{
    /// <summary>The directory of the running executable, without a trailing separator.</summary>
    public static string ExeDir => Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);

    /// <summary>Expands every <c>${…}</c> in <paramref name="text"/>; an unset variable of <c>ENV[…]</c> is empty.</summary>
    /// <exception cref="FormatException"><c>unknown variable `name`</c>.</exception>
    public static string Expand(string text, string genvmVersion)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder();
        var last = 0;
        foreach (Match match in Pattern().Matches(text))
        {
            result.Append(text, last, match.Index - last);
            var value = match.Groups["env"].Success
                ? Environment.GetEnvironmentVariable(match.Groups["env"].Value) ?? ""
                : match.Groups["name"].Value switch
                {
                    "exeDir" => ExeDir,
                    "genvmVersion" => genvmVersion,
                    var other => throw new FormatException($"unknown variable `{other}`"),
                };
            result.Append(value);
            last = match.Index + match.Length;
        }

        return result.Append(text, last, text.Length - last).ToString();
    }

    [GeneratedRegex(@"\$\{(?:ENV\[(?<env>[a-zA-Z0-9_]*)\]|(?<name>[a-zA-Z0-9_]*))\}", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
