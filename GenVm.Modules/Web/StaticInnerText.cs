using System.Text;
using AngleSharp.Dom;

namespace GenVm.Modules.Web;

/// <summary>
/// <c>innerText</c> without a layout engine, for the AngleSharp renderer: the HTML standard's "rendered text
/// collection steps" over the parsed DOM, with the user-agent stylesheet's <c>display</c> and <c>white-space</c>
/// defaults plus an element's own inline <c>style</c> (<c>display</c>, <c>visibility</c>, <c>white-space</c>).
/// Author style sheets are not applied. Where Chromium deviates from the standard (form controls, inline SVG and
/// MathML) we follow Chromium, since the render service's text is Chromium's (modules.md §4.4 step 4).
/// </summary>
internal static class StaticInnerText
{
    private const string SvgNamespace = "http://www.w3.org/2000/svg";
    private const string MathNamespace = "http://www.w3.org/1998/Math/MathML";

    // The user-agent stylesheet's display:none elements (HTML standard, rendering section).
    private static readonly HashSet<string> Hidden = new(StringComparer.Ordinal)
    {
        "head", "script", "style", "template", "title", "meta", "link", "base", "basefont", "noscript", "noembed",
        "noframes", "param", "rp", "area", "datalist",
    };

    // Replaced elements and form controls whose content never reaches innerText in Chromium; they still separate
    // collapsible spaces (Chromium gives "y  z" for "y <iframe></iframe> z").
    private static readonly HashSet<string> Atoms = new(StringComparer.Ordinal)
    {
        "img", "iframe", "frame", "video", "audio", "canvas", "embed", "input", "textarea", "meter",
        "progress", "picture",
    };

    // The user-agent stylesheet's block-level elements (display block, list-item, table).
    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal)
    {
        "html", "body", "address", "blockquote", "center", "div", "figure", "figcaption", "footer", "form", "header",
        "hr", "legend", "listing", "main", "p", "plaintext", "pre", "search", "xmp", "details", "summary", "article",
        "aside", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "nav", "section", "dir", "dd", "dl", "dt", "menu", "ol",
        "ul", "li", "fieldset", "table", "caption", "optgroup", "option", "frameset",
    };

    private static readonly HashSet<string> MathTokens = new(StringComparer.Ordinal) { "mi", "mn", "mo", "mtext", "ms" };

    /// <summary>The <c>innerText</c> of <paramref name="element"/> (normally the body).</summary>
    public static string Of(IElement element)
    {
        var items = new List<Item>();
        foreach (var child in element.ChildNodes)
        {
            Collect(child, items, new Inherited(WhiteSpace.Normal, Visible: true, SuppressText: false, FlexParent: false));
        }

        return Join(items);
    }

    private static void Collect(INode node, List<Item> items, Inherited inherited)
    {
        if (node is IText text)
        {
            if (inherited.Visible && !inherited.SuppressText)
            {
                AddText(text.Data, inherited.WhiteSpace, items);
            }

            return;
        }

        if (node is not IElement element)
        {
            return;
        }

        var name = element.LocalName;
        var style = InlineStyle.Parse(element.GetAttribute("style"));
        var display = style.Display ?? DefaultDisplay(element, name);
        if (display == "none")
        {
            return;
        }

        if (inherited.FlexParent)
        {
            // CSS Display §2.7: children of a flex or grid container are blockified.
            display = display switch
            {
                "inline" or "inline-block" or "contents" => "block",
                "inline-table" => "table",
                "inline-flex" => "flex",
                "inline-grid" => "grid",
                _ => display,
            };
        }

        if (element.NamespaceUri == SvgNamespace)
        {
            // Chromium lays out each <text> of inline SVG as a block of its own; other SVG text is not rendered.
            display = name == "text" ? "block" : "inline";
            inherited = inherited with { SuppressText = name switch { "text" or "foreignObject" => false, "svg" => true, _ => inherited.SuppressText } };
        }
        else if (element.NamespaceUri == MathNamespace && MathTokens.Contains(name))
        {
            // Chromium renders MathML token elements as blocks in innerText, a one-letter <mi> in mathematical italic.
            items.Add(new Item(ItemKind.Required, 1));
            var content = element.TextContent.Trim();
            items.Add(new Item(ItemKind.Text, 0, name == "mi" && content.Length == 1 ? MathItalic(content[0]) : content));
            items.Add(new Item(ItemKind.Required, 1));
            return;
        }

        var visible = style.Visibility is { } visibility ? visibility == "visible" : inherited.Visible;
        var whiteSpace = style.WhiteSpace ?? DefaultWhiteSpace(element, name) ?? inherited.WhiteSpace;
        if (Atoms.Contains(name))
        {
            items.Add(new Item(ItemKind.Atom, 0));
            return;
        }

        var childInherited = inherited with { WhiteSpace = whiteSpace, Visible = visible, FlexParent = display is "flex" or "grid" or "inline-flex" or "inline-grid" };
        if (name == "br")
        {
            if (visible)
            {
                items.Add(new Item(ItemKind.Text, 0, "\n"));
            }

            return;
        }

        var start = items.Count;
        if (name == "details" && !element.HasAttribute("open"))
        {
            // A closed <details> shows only its first <summary>.
            if (element.Children.FirstOrDefault(c => c.LocalName == "summary") is { } summary)
            {
                Collect(summary, items, childInherited);
            }
        }
        else if (name == "select")
        {
            // Chromium lists every option (and no optgroup label), each as a block.
            foreach (var option in element.QuerySelectorAll("option"))
            {
                items.Add(new Item(ItemKind.Required, 1));
                items.Add(new Item(ItemKind.Text, 0, Collapse(option.TextContent)));
                items.Add(new Item(ItemKind.Required, 1));
            }
        }
        else
        {
            foreach (var child in element.ChildNodes)
            {
                Collect(child, items, childInherited);
            }
        }

        if (!visible)
        {
            return;
        }

        if (display == "table-cell" && NextSibling(element, e => DisplayOf(e) == "table-cell") is not null)
        {
            items.Add(new Item(ItemKind.Text, 0, "\t"));
        }

        if (display == "table-row" && !IsLastRow(element))
        {
            items.Add(new Item(ItemKind.Text, 0, "\n"));
        }

        var breaks = name == "p" && display == "block" ? 2 : IsBlockLevel(display) ? 1 : 0;
        if (breaks > 0)
        {
            items.Insert(start, new Item(ItemKind.Required, breaks));
            items.Add(new Item(ItemKind.Required, breaks));
        }
    }

    private static string DefaultDisplay(IElement element, string name)
    {
        if (Hidden.Contains(name) || element.HasAttribute("hidden"))
        {
            return "none";
        }

        return name switch
        {
            "dialog" => element.HasAttribute("open") ? "block" : "none",
            "input" when string.Equals(element.GetAttribute("type"), "hidden", StringComparison.OrdinalIgnoreCase) => "none",
            "tr" => "table-row",
            "td" or "th" => "table-cell",
            "caption" => "table-caption",
            "li" => "list-item",
            "table" => "table",
            "button" or "select" => "inline-block",
            _ => Blocks.Contains(name) ? "block" : "inline",
        };
    }

    private static string DisplayOf(IElement element)
        => InlineStyle.Parse(element.GetAttribute("style")).Display ?? DefaultDisplay(element, element.LocalName);

    private static WhiteSpace? DefaultWhiteSpace(IElement element, string name) => name switch
    {
        "pre" or "listing" or "xmp" or "plaintext" => WhiteSpace.Pre,
        "nobr" => WhiteSpace.Normal,
        "td" or "th" when element.HasAttribute("nowrap") => WhiteSpace.Normal,
        _ => null,
    };

    private static bool IsBlockLevel(string display)
        => display is "block" or "list-item" or "table" or "flex" or "grid" or "flow-root" or "table-caption";

    private static IElement? NextSibling(IElement element, Func<IElement, bool> predicate)
    {
        for (var e = element.NextElementSibling; e is not null; e = e.NextElementSibling)
        {
            if (predicate(e))
            {
                return e;
            }
        }

        return null;
    }

    private static bool IsLastRow(IElement row)
    {
        var table = row.Closest("table");
        if (table is null)
        {
            return NextSibling(row, e => DisplayOf(e) == "table-row") is null;
        }

        // Rows of nested tables are not rows of this table.
        var rows = table.QuerySelectorAll("tr").Where(r => r.Closest("table") == table).ToList();
        return rows.Count == 0 || rows[^1] == row;
    }

    private static void AddText(string data, WhiteSpace whiteSpace, List<Item> items)
    {
        var run = new StringBuilder();
        void Flush()
        {
            if (run.Length > 0)
            {
                items.Add(new Item(ItemKind.Text, 0, run.ToString()));
                run.Clear();
            }
        }

        foreach (var c in data)
        {
            var collapsible = c is ' ' or '\t' or '\n' or '\r' or '\f';
            if (whiteSpace == WhiteSpace.Pre)
            {
                run.Append(c);
                continue;
            }

            if (whiteSpace == WhiteSpace.PreLine && c == '\n')
            {
                Flush();
                items.Add(new Item(ItemKind.Text, 0, "\n"));
                continue;
            }

            if (collapsible)
            {
                Flush();
                if (items.Count == 0 || items[^1].Kind != ItemKind.Space)
                {
                    items.Add(new Item(ItemKind.Space, 0));
                }

                continue;
            }

            run.Append(c);
        }

        Flush();
    }

    private static string Collapse(string text)
    {
        var items = new List<Item>();
        AddText(text, WhiteSpace.Normal, items);
        return Join(items);
    }

    private static string Join(List<Item> items)
    {
        // Collapsible spaces (CSS Text §4.1.1): one per run, none at the start or end of a line.
        var resolved = new List<Item>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Kind == ItemKind.Atom)
            {
                resolved.Add(item);
                continue;
            }

            if (item.Kind != ItemKind.Space)
            {
                if (item.Kind != ItemKind.Text || item.Text.Length > 0)
                {
                    resolved.Add(item);
                }

                continue;
            }

            var previous = resolved.Count == 0 ? null : resolved[^1];
            var atLineStart = previous is null || previous.Kind == ItemKind.Required || (previous.Kind == ItemKind.Text && previous.Text.EndsWith('\n'))
                || previous.Kind == ItemKind.Space;
            var next = items.Skip(i + 1).FirstOrDefault(x => x.Kind != ItemKind.Space && !(x.Kind == ItemKind.Text && x.Text.Length == 0));
            var atLineEnd = next is null || next.Kind == ItemKind.Required || (next.Kind == ItemKind.Text && next.Text.StartsWith('\n'));
            if (!atLineStart && !atLineEnd)
            {
                resolved.Add(item);
            }
        }

        // The innerText getter's final steps: drop leading and trailing required line breaks, and replace each run of
        // them by as many newlines as the largest count in the run.
        var output = new StringBuilder();
        var pending = 0;
        var any = false;
        foreach (var item in resolved)
        {
            switch (item.Kind)
            {
                case ItemKind.Required:
                    pending = Math.Max(pending, item.Count);
                    break;
                case ItemKind.Atom:
                    break;
                default:
                    if (any && pending > 0)
                    {
                        output.Append('\n', pending);
                    }

                    pending = 0;
                    any = true;
                    output.Append(item.Kind == ItemKind.Space ? " " : item.Text);
                    break;
            }
        }

        return output.ToString();
    }

    private static string MathItalic(char c) => c switch
    {
        'h' => "\u210E",
        >= 'a' and <= 'z' => char.ConvertFromUtf32(0x1D44E + (c - 'a')),
        >= 'A' and <= 'Z' => char.ConvertFromUtf32(0x1D434 + (c - 'A')),
        _ => c.ToString(),
    };

    private enum ItemKind
    {
        Text,
        Space,
        Required,
        Atom,
    }

    private enum WhiteSpace
    {
        Normal,
        Pre,
        PreLine,
    }

    private sealed record Item(ItemKind Kind, int Count, string Text = "");

    private sealed record Inherited(WhiteSpace WhiteSpace, bool Visible, bool SuppressText, bool FlexParent);

    private readonly record struct InlineStyle(string? Display, string? Visibility, WhiteSpace? WhiteSpace)
    {
        public static InlineStyle Parse(string? style)
        {
            if (string.IsNullOrEmpty(style))
            {
                return default;
            }

            string? display = null, visibility = null;
            WhiteSpace? whiteSpace = null;
            foreach (var declaration in style.Split(';'))
            {
                var colon = declaration.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }

                var property = declaration[..colon].Trim().ToLowerInvariant();
                var value = declaration[(colon + 1)..].Replace("!important", "", StringComparison.OrdinalIgnoreCase).Trim().ToLowerInvariant();
                switch (property)
                {
                    case "display":
                        // Two-keyword values: "block flow" is block, "inline flow-root" is inline-block.
                        display = value switch
                        {
                            "block flow" => "block",
                            "inline flow-root" => "inline-block",
                            "list-item block" or "block list-item" => "list-item",
                            _ => value,
                        };
                        break;
                    case "visibility":
                        visibility = value;
                        break;
                    case "white-space":
                        whiteSpace = value switch
                        {
                            "pre" or "pre-wrap" or "break-spaces" => GenVm.Modules.Web.StaticInnerText.WhiteSpace.Pre,
                            "pre-line" => GenVm.Modules.Web.StaticInnerText.WhiteSpace.PreLine,
                            "normal" or "nowrap" => GenVm.Modules.Web.StaticInnerText.WhiteSpace.Normal,
                            _ => null,
                        };
                        break;
                }
            }

            return new InlineStyle(display, visibility, whiteSpace);
        }
    }
}
