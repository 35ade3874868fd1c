using System.Text;

namespace GenVm.Modules.Web;

/// <summary>The render service's text post-processing (modules.md §4.4 step 4).</summary>
internal static class RenderText
{
    /// <summary>
    /// Every line trimmed, whitespace runs inside a line collapsed to one space, lines joined with <c>\n</c>, then
    /// every run of two or more newlines reduced to exactly two.
    /// </summary>
    public static string Normalize(string innerText)
    {
        var lines = innerText.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var joined = new StringBuilder(innerText.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                joined.Append('\n');
            }

            var pendingSpace = false;
            var started = false;
            foreach (var c in lines[i])
            {
                if (char.IsWhiteSpace(c))
                {
                    pendingSpace = started;
                    continue;
                }

                if (pendingSpace)
                {
                    joined.Append(' ');
                    pendingSpace = false;
                }

                joined.Append(c);
                started = true;
            }
        }

        var result = new StringBuilder(joined.Length);
        var newlines = 0;
        foreach (var c in joined.ToString())
        {
            if (c == '\n')
            {
                newlines++;
                continue;
            }

            if (newlines > 0)
            {
                result.Append('\n', Math.Min(newlines, 2));
                newlines = 0;
            }

            result.Append(c);
        }

        result.Append('\n', Math.Min(newlines, 2));
        return result.ToString();
    }
}
