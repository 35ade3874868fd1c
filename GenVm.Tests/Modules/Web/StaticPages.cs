using GenVm.Tests.Modules.Scripting;
using Microsoft.AspNetCore.Http;

namespace GenVm.Tests.Modules.Web;

/// <summary>
/// A local site of static pages (no script) that both renderers must turn into the same text and html, plus pages
/// for the AngleSharp renderer's failure paths.
/// </summary>
internal static class StaticPages
{
    /// <summary>Path → (Content-Type or null for none, body).</summary>
    public static IReadOnlyDictionary<string, (string? ContentType, string Body)> Pages { get; } = new Dictionary<string, (string?, string)>
    {
        ["/article"] = ("text/html; charset=utf-8", """
            <!DOCTYPE html>
            <html><head><title>Ignored title</title><style>p { color: red }</style></head>
            <body>
              <header><nav><a href="/">Home</a> | <a href="/news">News</a></nav></header>
              <main>
                <h1>Bitcoin   price   today</h1>
                <p>The price of <b>BTC</b> is <span class="v">$97,000</span>.
                   Updated <time>2024-11-20</time>.</p>
                <p>Second paragraph with an <a href="#">inline link</a>, <em>emphasis</em> and <code>code</code>.</p>
                <blockquote>A quote</blockquote>
                <ul><li>first item</li><li>second <i>item</i></li></ul>
                <ol><li><p>para in li</p></li><li>plain</li></ol>
                <hr>
                <footer>© 2024 Example &amp; Co &lt;tag&gt;</footer>
              </main>
            </body></html>
            """),
        ["/table"] = ("text/html", """
            <html><body><table>
            <caption>Prices</caption>
            <thead><tr><th>Coin</th><th>Price</th></tr></thead>
            <tbody>
              <tr><td> BTC </td><td>97000</td></tr>
              <tr><td>ETH</td><td>3100</td></tr>
            </tbody></table><p>after table</p>
            <table><tr><td>outer<table><tr><td>inner1</td><td>inner2</td></tr></table></td><td>last</td></tr></table>
            </body></html>
            """),
        ["/whitespace"] = ("text/html", "<html><body>\n\n  lead   text  \n<div> </div><div>a</div>\n<!-- c -->\n<div>b &nbsp; c</div>"
            + "<div>x<br></div><div>y</div>a<wbr>b<br><br>c <span> </span> d<span style=\"white-space:pre\">  e  </span>f"
            + "<pre>\npre  x\n  y\n</pre>tail\t\ttabs</body></html>"),
        ["/hidden"] = ("text/html", """
            <html><body><noscript>no script</noscript><span hidden>hid</span><span style="display:none">dn</span>
            <span style="visibility:hidden">vh</span><template>tmpl</template><div style="DISPLAY: none !important">gone</div>
            <span style="display:block">as block</span>x<div style="display:inline">inline div</div>y
            <details><summary>summary</summary>closed body</details><details open><summary>s2</summary>open body</details>
            x<dialog>closed dialog</dialog>y<dialog open>open dialog</dialog>z
            <input type="hidden" value="h"><input value="v"><textarea>ta</textarea>
            <script>var notRun = 1;</script><style>.a{}</style></body></html>
            """),
        ["/forms"] = ("text/html", """
            <html><body><form>a<select><option>o1</option><optgroup label="g"><option> o2 </option></optgroup></select>b
            <button>btn</button><label>lbl</label><fieldset><legend>lg</legend>fs</fieldset></form>
            x<img alt="alt">y <iframe></iframe> z<canvas>cv</canvas><video>vid</video><object>obj</object>
            a <span style="display:inline-block"> ib </span> b<ruby>r<rp>(</rp><rt>rt</rt><rp>)</rp></ruby>
            <dl><dt>term</dt><dd>def</dd></dl><address>addr</address><center>c</center><sub>s</sub><sup>2</sup></body></html>
            """),
        ["/svg-math"] = ("text/html", """
            <html><body>a<svg width="10" height="10"><title>t</title><g><text>svg <tspan>text</tspan></text></g></svg>b
            <p>m<math><mi>x</mi><mo>=</mo><mn>2</mn></math>n</p></body></html>
            """),
        ["/news"] = ("text/html; charset=utf-8", """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="/s.css"></head>
            <body class="page">
            <div id="top"><div class="logo"><a href="/"><img src="/logo.png" alt="Logo"></a></div>
              <ul class="menu"><li><a href="/a">World</a></li><li><a href="/b">Markets</a></li>
              <li><a href="/c">Tech <span class="badge">new</span></a></li></ul></div>
            <div class="content">
              <article><h2 class="headline"><span>Rates</span> <span>hold</span></h2>
                <div class="byline">By <a href="/x">A. Writer</a> &middot; <span>3 min read</span></div>
                <div class="body">First line<br>
                  second line<br/>
                  <br>
                  <strong>Bold</strong><em>Italic</em> joined.
                  <div>Nested <div>deeper <span>inline</span></div> after</div>
                </div>
              </article>
              <aside><h3>Related</h3><p>One</p><p>Two</p></aside>
            </div>
            <footer><p>Footer <small>small print</small></p></footer>
            </body></html>
            """),
        ["/tricky"] = ("text/html", """
            <html><body><ul><li>one<ul><li>nested <b>bold</b></li></ul></li><li>two</li></ul>
            <div style="display:flex"><span>f1</span><span>f2</span></div><button>b1<br>b2</button>
            <table><tr><td><p>cell para</p></td><td>x</td></tr></table><h1>Head<br>line</h1>
            te<!-- c -->xt <span></span> <span style="display:block"></span>after<q>quoted</q>so&shy;ft
            <label><input type="checkbox"> check</label><ol start="3"><li value="7">seven</li></ol>
            <div>  <span>  spaced  </span>  </div><p>a<br></p><p><br></p><p>b</p>
            <figure><img src="x.png"><figcaption>cap</figcaption></figure><main>m</main><nav>n</nav>
            </body></html>
            """),
        ["/crlf-plain"] = ("text/plain", "first\r\nsecond\r\n\r\n\r\nthird\tcol\r\n"),
        ["/entities"] = ("text/html; charset=utf-8", "<html><body><p>caf\u00e9 \u2014 na\u00efve &eacute;&#233;&#x1F600; 1&lt;2 &quot;q&quot;</p><h2>Title\u00a0two</h2></body></html>"),
        ["/latin1"] = ("text/html; charset=iso-8859-1", "<html><body><p>caf\u00e9 cr\u00e8me</p></body></html>"),
        ["/plain"] = ("text/plain; charset=utf-8", "line one\n  indented   line\n\n\n\nafter blanks <b>not bold</b> & amp\n"),
        ["/no-type"] = (null, "404 page not found\n"),
        ["/no-type-html"] = (null, "<!DOCTYPE html><html><body><h1>sniffed</h1><p>as html</p></body></html>"),
        ["/json"] = ("application/json", "{\"price\": 97000, \"coin\": \"BTC\"}"),
    };

    /// <summary>Starts the site on 127.0.0.1 with <see cref="Pages"/> plus <c>/redirect?to=</c>, <c>/js</c>, <c>/hang</c> and <c>/big</c>.</summary>
    public static Task<LuaScriptStateTests.TestSite> StartAsync()
        => LuaScriptStateTests.StartServerAsync(async context =>
        {
            var path = context.Request.Path.Value ?? "/";
            if (Pages.TryGetValue(path, out var page))
            {
                if (page.ContentType is { } type)
                {
                    context.Response.ContentType = type;
                }

                var encoding = page.ContentType?.Contains("iso-8859-1", StringComparison.Ordinal) == true ? System.Text.Encoding.Latin1 : System.Text.Encoding.UTF8;
                await context.Response.Body.WriteAsync(encoding.GetBytes(page.Body));
                return;
            }

            switch (path)
            {
                case "/redirect":
                    context.Response.StatusCode = 302;
                    context.Response.Headers.Location = context.Request.Query["to"].ToString();
                    return;
                case "/js":
                    context.Response.ContentType = "text/html";
                    await context.Response.WriteAsync("""
                        <html><body><p>static   text</p>
                        <script>const d = document.createElement('div'); d.textContent = 'made by ' + 'javascript'; document.body.appendChild(d);</script>
                        </body></html>
                        """);
                    return;
                case "/hang":
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    return;
                case "/big":
                    context.Response.ContentType = "text/html";
                    for (var i = 0; i < 64; i++)
                    {
                        await context.Response.WriteAsync("<p>" + new string('x', 1020) + "</p>");
                    }

                    return;
                default:
                    context.Response.StatusCode = 404;
                    await context.Response.WriteAsync("404 page not found\n");
                    return;
            }
        });
}
