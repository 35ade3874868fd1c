using System.Text;
using GenVm.Core.Wasi;

namespace GenVm.Tests.Core.Wasi;

[TestFixture]
public sealed class Utf8NameComparerTests
{
    private static int Bytes(string x, string y) => Math.Sign(Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y)));

    [TestCase("a", "b")]
    [TestCase("lib/python3.13/os.py", "lib/python3.13/os/")]
    [TestCase("", "a")]
    [TestCase("abc", "ab")]
    [TestCase("same", "same")]
    [TestCase("\uFF21", "\U0001F600")]
    [TestCase("x\uD83D\uDE00", "x\uD83D")]
    [TestCase("x\uD83D", "x\uFFFD")]
    [TestCase("x\uDE00y", "x\uFFFDz")]
    [TestCase("\u00E9", "z")]
    [TestCase("\u07FF", "\u0800")]
    public void Compare_Pair_SignOfTheUtf8ByteOrder(string x, string y)
    {
        Assert.That(Math.Sign(Utf8NameComparer.Instance.Compare(x, y)), Is.EqualTo(Bytes(x, y)));
        Assert.That(Math.Sign(Utf8NameComparer.Instance.Compare(y, x)), Is.EqualTo(Bytes(y, x)));
    }

    [Test]
    public void Compare_RandomNamesWithSurrogatesAndHighUnits_SignOfTheUtf8ByteOrder()
    {
        // Units drawn near the boundaries where UTF-16 and UTF-8 orders could part: ASCII, U+07FF/U+0800, the
        // surrogates (paired and lone), U+E000 and above.
        char[] alphabet = ['a', 'b', '/', '\u007F', '\u0080', '\u07FF', '\u0800', '\uD7FF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uE000', '\uFFFD', '\uFFFF'];
        var random = new Random(6);
        string Next()
        {
            var length = random.Next(0, 5);
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }

            return new string(chars);
        }

        for (var i = 0; i < 20000; i++)
        {
            var x = Next();
            var y = random.Next(4) == 0 ? x + Next() : Next();
            Assert.That(Math.Sign(Utf8NameComparer.Instance.Compare(x, y)), Is.EqualTo(Bytes(x, y)), $"{Escape(x)} vs {Escape(y)}");
        }
    }

    [Test]
    public void Compare_Nulls_AreEmptyNames()
    {
        Assert.That(Utf8NameComparer.Instance.Compare(null, string.Empty), Is.Zero);
        Assert.That(Utf8NameComparer.Instance.Compare(null, "a"), Is.LessThan(0));
    }

    private static string Escape(string s) => string.Concat(s.Select(c => $"\\u{(int)c:X4}"));
}
