using System.Text;
using GenVm.Core.Runners;

namespace GenVm.Tests.Core.Runners;

[TestFixture]
public sealed class RunnerIdTests
{
    [Test]
    public void RunnerHash_EmptyInput_SpecVector() =>
        Assert.That(Nix32.RunnerHash([]), Is.EqualTo("0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73"));

    [Test]
    public void Encode_OneByte_TwoCharacters()
    {
        // L = floor((8-1)/5)+1 = 2; k=1: bits 5..7 of 0xff = 7; k=0: 0xff & 31 = 31 → "7z".
        Assert.That(Nix32.Encode([0xff]), Is.EqualTo("7z"));
    }

    [Test]
    public void Encode_Sha256_Is52Characters() =>
        Assert.That(Nix32.RunnerHash(Encoding.ASCII.GetBytes("abc")), Has.Length.EqualTo(52));

    [TestCase("py-genlayer:1jb45aa8ynh2a9c9xn3b7qqh8sm5q93hwfp7jqmwsfhh8jpz09h6", "py-genlayer", "1jb45aa8ynh2a9c9xn3b7qqh8sm5q93hwfp7jqmwsfhh8jpz09h6")]
    [TestCase("py-lib-word_piece_tokenizer:test", "py-lib-word_piece_tokenizer", "test")]
    [TestCase("a:b=c-d_e", "a", "b=c-d_e")]
    public void Parse_Valid_NameAndHash(string text, string name, string hash) =>
        Assert.That(RunnerId.Parse(text), Is.EqualTo(new RunnerId(name, hash)));

    [TestCase("py-genlayer")]
    [TestCase("a:b:c")]
    [TestCase("a=b:c")]
    [TestCase("a.b:c")]
    [TestCase("a:b.c")]
    [TestCase("a :b")]
    [TestCase("<contract>")]
    [TestCase("a/b:c")]
    [TestCase("a:b/c")]
    [TestCase("é:b")]
    public void Parse_Invalid_InvalidContract(string text)
    {
        var e = Assert.Throws<RunnerLoadException>(() => RunnerId.Parse(text));
        Assert.That(e!.VmError, Is.EqualTo("invalid_contract"));
        Assert.That(e.Message, Does.Contain("invalid runner id"));
    }

    [Test]
    public void RelativeTarPath_SplitsHashAfterTwoCharacters() =>
        Assert.That(RunnerId.Parse("py-genlayer:1jb45aa8").RelativeTarPath, Is.EqualTo(Path.Combine("py-genlayer", "1j", "b45aa8.tar")));

    [TestCase("x:test", true)]
    [TestCase("x:latest", true)]
    [TestCase("x:Latest", false)]
    [TestCase("x:abc", false)]
    public void IsTag_TestAndLatestOnly(string text, bool isTag) => Assert.That(RunnerId.Parse(text).IsTag, Is.EqualTo(isTag));
}
