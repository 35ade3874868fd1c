using System.Text;
using GenVm.Core.Runners;

namespace GenVm.Tests.Core.Runners;

[TestFixture]
public sealed class RunnerActionParserTests
{
    private static RunnerAction Parse(string json) => RunnerActionParser.Parse(Encoding.UTF8.GetBytes(json));

    [Test]
    public void Parse_EveryAction_Typed()
    {
        var action = Parse("""
            {"Seq": [
              {"MapFile": {"file": "py/", "to": "/py/", "extra": 1}},
              {"AddEnv": {"name": "A", "val": "${B}"}},
              {"SetArgs": ["py", "-u"]},
              {"LinkWasm": "softfloat.wasm"},
              {"Depends": "cpython:abc"},
              {"With": {"runner": "<contract>", "action": {"MapFile": {"file": "file", "to": "/contract.py"}}}},
              {"When": {"cond": "det", "action": {"StartWasm": "a.wasm"}}},
              {"When": {"cond": "nondet", "action": {"Seq": []}}}
            ]}
            """);
        var seq = (SeqAction)action;
        Assert.That(seq.Actions[0], Is.EqualTo(new MapFileAction("py/", "/py/")));
        Assert.That(seq.Actions[1], Is.EqualTo(new AddEnvAction("A", "${B}")));
        Assert.That(((SetArgsAction)seq.Actions[2]).Args, Is.EqualTo(new[] { "py", "-u" }));
        Assert.That(seq.Actions[3], Is.EqualTo(new LinkWasmAction("softfloat.wasm")));
        Assert.That(seq.Actions[4], Is.EqualTo(new DependsAction("cpython:abc")));
        Assert.That(seq.Actions[5], Is.EqualTo(new WithAction("<contract>", new MapFileAction("file", "/contract.py"))));
        Assert.That(seq.Actions[6], Is.EqualTo(new WhenAction(true, new StartWasmAction("a.wasm"))));
        Assert.That(((WhenAction)seq.Actions[7]).Deterministic, Is.False);
    }

    [TestCase("")]
    [TestCase("null")]
    [TestCase("[]")]
    [TestCase("\"StartWasm\"")]
    [TestCase("{}")]
    [TestCase("{\"StartWasm\": \"a\", \"SetArgs\": []}")]
    [TestCase("{\"Unknown\": 1}")]
    [TestCase("{\"startwasm\": \"a\"}")]
    [TestCase("{\"StartWasm\": 1}")]
    [TestCase("{\"SetArgs\": \"a\"}")]
    [TestCase("{\"SetArgs\": [1]}")]
    [TestCase("{\"MapFile\": {\"file\": \"a\"}}")]
    [TestCase("{\"MapFile\": {\"file\": \"a\", \"to\": null}}")]
    [TestCase("{\"MapFile\": {\"file\": \"a\", \"file\": \"b\", \"to\": \"c\"}}")]
    [TestCase("{\"MapFile\": [\"a\", \"b\"]}")]
    [TestCase("{\"When\": {\"cond\": \"Det\", \"action\": {\"Seq\": []}}}")]
    [TestCase("{\"When\": {\"cond\": \"det\"}}")]
    [TestCase("{\"With\": {\"runner\": \"a:b\", \"action\": {}}}")]
    [TestCase("{\"Seq\": [{\"Seq\": [{\"Bad\": 1}]}]}")]
    [TestCase("{\"Seq\": []} x")]
    [TestCase("{\"Seq\": [],}")]
    [TestCase("// comment\n{\"Seq\": []}")]
    public void Parse_Malformed_InvalidContract(string json)
    {
        var e = Assert.Throws<RunnerLoadException>(() => Parse(json));
        Assert.That(e!.VmError, Is.EqualTo("invalid_contract"));
    }

    [Test]
    public void Parse_LeadingWhitespace_Accepted() => Assert.That(Parse("  \n {\"StartWasm\": \"file\"}  "), Is.EqualTo(new StartWasmAction("file")));

    [Test]
    public void Parse_DeepNesting_InvalidNotStackOverflow()
    {
        var json = string.Concat(Enumerable.Repeat("{\"Seq\":[", 5000)) + string.Concat(Enumerable.Repeat("]}", 5000));
        var e = Assert.Throws<RunnerLoadException>(() => Parse(json));
        Assert.That(e!.VmError, Is.EqualTo("invalid_contract"));
    }
}
