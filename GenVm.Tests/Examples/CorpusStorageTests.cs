using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus storage cases (contract-corpus.md §2.15; python-sdk.md §17) rewritten as our own contracts under
/// <c>Corpus/</c>, run through <c>genvm exec</c>: the expected bytes are written from §17's encodings, not from our output.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusStorageTests : CorpusFixture
{
    private const string Ok = "executed with `Return(\"\\x00\")`\n";

    [Test]
    public async Task Exec_EveryStorableType_StoresSpecBytesAndReadsThemBack()
    {
        var deploy = await Exec.ResultAsync("storage_types.py", "--deploy");
        Assert.That(deploy, Is.EqualTo(Ok));
        // §17.3/§17.4/§17.5/§17.7/§17.8/§17.9: members back to back, little-endian, no padding.
        var s = CorpusExec.InstanceSlot;
        var expectedRoot = string.Concat(
            "ff", "3412", "efbeadde", new string('f', 16), new string('0', 30) + "80", new string('f', 64), // u8..u256
            "ff", "fe" + new string('f', 14), new string('0', 62) + "80", // i8, i64, i256
            "03000000", // bigint -129: 2 + 1 octets (§17.3 quirk)
            string.Concat(Enumerable.Repeat("11", 20)), // Address
            "06000000", "02000000", "01", // str 'héllo' (6 UTF-8 octets), bytes, bool
            "e26d456700000000" + "32790600" + "00" + new string('0', 24), // naive datetime; offsets never written
            "0100" + "0200" + "ffff", // Array[u16, 3]
            "02000000", // DynArray[str] length
            "01000000" + "01000000" + "00000000", // TreeMap: root 1, one node, empty free list
            "ffffffff" + "01000000"); // Point(x: i32 = -1, label: str)
        Assert.That(Exec.SlotHex(s), Is.EqualTo(expectedRoot));
        Assert.That(Exec.SlotHex(CorpusExec.Child(s, 104)), Is.EqualTo("7fffff"));
        Assert.That(Exec.SlotHex(CorpusExec.Child(s, 128)), Is.EqualTo("68c3a96c6c6f"));
        Assert.That(Exec.SlotHex(CorpusExec.Child(s, 132)), Is.EqualTo("0001"));
        var elements = CorpusExec.Child(s, 168);
        Assert.That(Exec.SlotHex(elements), Is.EqualTo("01000000" + "02000000"));
        Assert.That(Exec.SlotHex(CorpusExec.Child(elements, 0)), Is.EqualTo("61"));
        Assert.That(Exec.SlotHex(CorpusExec.Child(elements, 4)), Is.EqualTo("6263"));
        var nodes = CorpusExec.Child(s, 176);
        Assert.That(Exec.SlotHex(nodes), Is.EqualTo("01000000" + "0700000000000000" + "00000000" + "00000000" + "00"));
        Assert.That(Exec.SlotHex(CorpusExec.Child(nodes, 0)), Is.EqualTo("6b"));
        Assert.That(Exec.SlotHex(CorpusExec.Child(s, 188)), Is.EqualTo("70"));
        // §17.10: the deployment appended the four default locked slot ids.
        Assert.That(Exec.SlotHex(CorpusExec.Child(CorpusExec.RootSlot, 2)), Does.StartWith("04000000" + new string('0', 64) + "e1ae2341"));

        var dump = await Exec.RunAsync("storage_types.py", "--method", "dump");
        var overflow = await Exec.RunAsync("storage_types.py", "--method", "overflow");
        Assert.That(dump, Is.EqualTo(
            "255 4660 3735928559 18446744073709551615 170141183460469231731687303715884105728 "
            + "115792089237316195423570985008687907853269984665640564039457584007913129639935\n"
            + "-1 -2 -57896044618658097711785492504343953926634992332820282019728792003956564819968 -129\n"
            + "0x1111111111111111111111111111111111111111 'héllo' b'\\x00\\x01' True datetime.datetime(2024, 11, 26, 6, 42, 42, 424242)\n"
            + "[1, 2, 65535] ['a', 'bc'] {'k': 7} Point(x=-1, label='p')\n"
            + Ok));
        // §17.3: writing out of range raises OverflowError; the contract catches it and the last write stands.
        Assert.That(overflow, Does.StartWith("u8 256: OverflowError\ni8 -129: OverflowError\n" + Ok));
        Assert.That(Exec.SlotHex(s), Does.StartWith("013412"));
    }
}
