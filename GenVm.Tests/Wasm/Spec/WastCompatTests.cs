namespace GenVm.Tests.Wasm.Spec;

[TestFixture]
public sealed class WastCompatTests
{
    private static readonly string[] RewrittenScripts =
        ["comments.wast", "if.wast", "table_fill.wast", "table_get.wast", "table_grow.wast", "table_set.wast", "table_size.wast"];

    [TestCase("(func (table.get (local.get 0)))", "(func (table.get 0 (local.get 0)))")]
    [TestCase("(func table.size drop)", "(func table.size 0 drop)")]
    [TestCase("(func (table.size $t) (table.grow 1 (x) (y)))", "(func (table.size $t) (table.grow 1 (x) (y)))")]
    [TestCase("(func (call $f (if (result i32) (a) (b) (c) (then (d)))))", "(func (call $f  (a) (b) (if (result i32) (c) (then (d)))))")]
    [TestCase("(if $l (param i32) (a) (then) (else))", "(if $l (param i32) (a) (then) (else))")]
    [TestCase("(export \"table.get\") ;; table.get\n(; table.size ;)", "(export \"table.get\") ;; table.get\n(; table.size ;)")]
    public void Rewrite_Snippet_GivesOlderSyntax(string input, string expected)
    {
        Assert.That(WastCompat.Rewrite(input), Is.EqualTo(expected));
    }

    [Test]
    public void Rewrite_TopLevelModuleQuote_InlinesDecodedText()
    {
        var input = "(module quote \"(func (export \\\"f\\\")\" \" ;; c\\0d\" \")\")\n(assert_malformed (module quote \"x\") \"y\")";
        Assert.That(
            WastCompat.Rewrite(input),
            Is.EqualTo("(module\n(func (export \"f\") ;; c\n)\n)\n(assert_malformed (module quote \"x\") \"y\")"));
    }

    [Test]
    public void Rewrite_ScriptsWast2JsonParses_AreUnchanged()
    {
        var files = SpecDiscovery.Files().Where(f => !RewrittenScripts.Contains(f)).ToList();
        Assert.That(files, Is.Not.Empty);
        foreach (var file in files)
        {
            var text = File.ReadAllText(Path.Combine(SpecPaths.TestSuiteDirectory, file));
            Assert.That(WastCompat.Rewrite(text), Is.EqualTo(text), file);
        }
    }
}
