using AngleSharp.Html.Parser;
using GenVm.Modules.Web;

namespace GenVm.Tests.Modules.Web;

/// <summary>
/// <c>innerText</c> without layout, against strings real Chromium gave for the same bodies (before the render
/// service's post-processing), so the behaviour stays pinned where no browser is installed.
/// </summary>
[TestFixture]
public sealed class StaticInnerTextTests
{
    [TestCase("<div>a<br></div><div>b</div>", "a\n\nb")]
    [TestCase("a<select><option>o1</option><option>o2</option></select>b", "a\no1\no2\nb")]
    [TestCase("a<select size=3><option>o1</option><optgroup label=g><option>o2</option></optgroup></select>b", "a\no1\no2\nb")]
    [TestCase("a<button>x</button>b", "axb")]
    [TestCase("a <span style=\"display:inline-block\"> x </span> b", "a x b")]
    [TestCase("<p>a</p><p></p><p>b</p><div></div><div>c</div>", "a\n\nb\n\nc")]
    [TestCase("<li><p>in li</p></li><ol><li>x</li></ol>", "in li\n\nx")]
    [TestCase("x<dialog>dlg</dialog>y<dialog open>od</dialog>z", "xy\nod\nz")]
    [TestCase("a<span style=\"white-space:pre\">  b  </span>c", "a  b  c")]
    [TestCase("a<wbr>b<br><br>c", "ab\n\nc")]
    [TestCase("<table><caption>cap</caption><thead><tr><th>h1</th><th>h2</th></tr></thead><tbody><tr><td>a</td><td>b</td></tr></tbody></table>after", "cap\nh1\th2\na\tb\nafter")]
    [TestCase("a<svg><text>s</text></svg>b", "a\ns\nb")]
    [TestCase("a<math><mi>m</mi><mn>2</mn></math>b", "a\n\U0001D45A\n2\nb")]
    [TestCase("<details open><summary>s</summary>body</details>", "s\nbody")]
    [TestCase("<div style=\"display: none\">n</div><div style=\"DISPLAY:Block\">b</div><span style=\"display:block\">sb</span>x<div style=\"display:inline\">di</div>y", "b\nsb\nxdiy")]
    [TestCase("x<img alt=\"alt\">y <iframe></iframe> z", "xy  z")]
    [TestCase("<pre>\npre  x\n  y\n</pre>x", "pre  x\n  y\n\nx")]
    public void Of_Body_MatchesChromiumInnerText(string body, string expected)
    {
        var document = new HtmlParser(new HtmlParserOptions { IsScripting = true }).ParseDocument("<!DOCTYPE html><html><body>" + body + "</body></html>");

        Assert.That(StaticInnerText.Of(document.Body!), Is.EqualTo(expected));
    }
}
