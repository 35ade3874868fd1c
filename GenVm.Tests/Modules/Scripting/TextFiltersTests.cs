using GenVm.Modules.Scripting;

namespace GenVm.Tests.Modules.Scripting;

/// <summary>Vectors for the greybox text filters (modules.md §3.8).</summary>
[TestFixture]
public sealed class TextFiltersTests
{
    [TestCase("\uFB01", "fi")]
    [TestCase("\u2460", "1")]
    [TestCase("\u212B", "\u00C5")]
    [TestCase("\uFF21\uFF22\uFF23", "ABC")]
    [TestCase("e\u0301", "\u00E9")]
    [TestCase("\u3000x\u3000", " x ")]
    [TestCase("", "")]
    public void Apply_Nfkc_MapsCompatibilityForms(string input, string expected)
        => Assert.That(TextFilters.Apply(input, ["NFKC"]), Is.EqualTo(expected));

    [TestCase("e\u0301", "\u00E9")]
    [TestCase("\uFB01", "\uFB01")]
    [TestCase("\u212B", "\u00C5")]
    public void Apply_Nfc_ComposesWithoutCompatibilityMapping(string input, string expected)
        => Assert.That(TextFilters.Apply(input, ["NFC"]), Is.EqualTo(expected));

    [TestCase("a\u200Bb\u200Dc", "abc")]
    [TestCase("tab\there", "tabhere")]
    [TestCase("cr\r\nlf", "cr\nlf")]
    [TestCase("e\u0301", "e")]
    [TestCase("\uFEFFbom", "bom")]
    [TestCase("soft\u00ADhyphen", "soft\u00ADhyphen")]
    [TestCase("keep  two\n\nlines", "keep  two\n\nlines")]
    [TestCase("\u0000nul\u0007bell\u0085", "nulbell")]
    [TestCase("rtl\u202Emark\u2066", "rtlmark")]
    [TestCase("\uD83D\uDE00 emoji", "\uD83D\uDE00 emoji")]
    public void Apply_RmZeroWidth_DropsZeroAndUndefinedWidth(string input, string expected)
        => Assert.That(TextFilters.Apply(input, ["RmZeroWidth"]), Is.EqualTo(expected));

    [TestCase("  \n\n  hello   world  \n\n\n\n  next\t\tline   ", "hello world\n\nnext line")]
    [TestCase("a \n b", "a\nb")]
    [TestCase("a\n \n \n b", "a\n\nb")]
    [TestCase("a\u00A0\u2003b", "a b")]
    [TestCase("trailing\n\n", "trailing\n\n")]
    [TestCase("   ", "")]
    [TestCase("x\r\ny", "x\ny")]
    public void Apply_NormalizeWS_CollapsesWhitespace(string input, string expected)
        => Assert.That(TextFilters.Apply(input, ["NormalizeWS"]), Is.EqualTo(expected));

    [Test]
    public void Apply_DefaultScriptChain_NormalisesPromptText()
    {
        // The chain genvm-llm-default applies to ExecPrompt text (modules.md §5.4), in that order.
        var text = "  \uFF28\uFF45\uFF4C\uFF4C\uFF4F\u200B\u3000\uFF57\uFF4F\uFF52\uFF4C\uFF44  \t\r\n\r\n\r\nbye ";

        Assert.That(TextFilters.Apply(text, ["NFKC", "RmZeroWidth", "NormalizeWS"]), Is.EqualTo("Hello world\n\nbye"));
    }

    [Test]
    public void Apply_UnknownFilter_Throws()
        => Assert.That(() => TextFilters.Apply("x", ["Lowercase"]), Throws.ArgumentException.With.Message.Contains("Lowercase"));
}
