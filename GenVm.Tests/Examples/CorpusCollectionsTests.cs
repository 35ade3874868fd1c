using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus TreeMap and DynArray cases (contract-corpus.md §2.15 storage_tree_map, persists; python-sdk.md §17.7,
/// §17.9) through <c>genvm exec</c>: the node bytes after inserts, deletes and a refill are derived by hand from §17.9.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusCollectionsTests : CorpusFixture
{
    private const string Ok = "executed with `Return(\"\\x00\")`\n";

    // Node[u8, u8] (§17.9): key @0, value @1, left u32 @2, right u32 @6, balance i8 @10: 11 octets.
    private static string Node(int key, string left, string right, string balance)
        => key.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)
            + (key + 100).ToString("x2", System.Globalization.CultureInfo.InvariantCulture) + left + right + balance;

    [Test]
    public async Task Exec_TreeMapInsertDeleteRefill_RebalancesReusesFreedNodesAndPersists()
    {
        const string none = "00000000";
        await Exec.RunAsync("treemap.py", "--deploy");

        var put = await Exec.ResultAsync("treemap.py", "--method", "put", "--args", "[[1, 2, 3, 4, 5, 6, 7]]");
        var s = CorpusExec.InstanceSlot;
        var nodes = CorpusExec.Child(s, 4);
        // Seven ascending inserts: rotations leave the perfect tree 4(2(1,3),6(5,7)); key k is node k (1-based).
        var afterPut = Exec.SlotHex(nodes);
        var remove = await Exec.RunAsync("treemap.py", "--method", "remove", "--args", "[[4, 2]]");
        var afterRemove = (Exec.SlotHex(s), Exec.SlotHex(CorpusExec.Child(s, 8)));
        var refill = await Exec.ResultAsync("treemap.py", "--method", "put", "--args", "[[9]]");
        var show = await Exec.RunAsync("treemap.py", "--method", "show");

        Assert.That(put, Is.EqualTo(Ok));
        Assert.That(afterPut, Is.EqualTo(
            Node(1, none, none, "00") + Node(2, "01000000", "03000000", "00") + Node(3, none, none, "00")
            + Node(4, "02000000", "06000000", "00") + Node(5, none, none, "00") + Node(6, "05000000", "07000000", "00")
            + Node(7, none, none, "00")));
        // del 4 (the root, two children): successor 5 takes its place, node 4 (0-based 3) goes to the free list;
        // del 2: successor 3, node 2 (0-based 1) freed. root = 5, 7 nodes, free = [3, 1].
        Assert.That(remove, Does.StartWith("absent: KeyError('key not found')\n" + Ok));
        Assert.That(afterRemove.Item1, Is.EqualTo("05000000" + "07000000" + "02000000"));
        Assert.That(afterRemove.Item2, Is.EqualTo("03000000" + "01000000"));
        // put 9 reuses the last freed node (0-based 1, so 1-based 2) and pops it from the free list; 7 → 9 makes 6
        // right-heavy (+2): a single left rotation around (6, 7), 5.right = 7. Node 4 keeps its stale bytes.
        Assert.That(refill, Is.EqualTo(Ok));
        Assert.That(Exec.SlotHex(s), Is.EqualTo("05000000" + "07000000" + "01000000"));
        Assert.That(Exec.SlotHex(nodes), Is.EqualTo(
            Node(1, none, none, "00") + Node(9, none, none, "00") + Node(3, "01000000", none, "ff")
            + Node(4, "02000000", "06000000", "00") + Node(5, "03000000", "07000000", "00") + Node(6, none, none, "00")
            + Node(7, "06000000", "02000000", "00")));
        Assert.That(show, Is.EqualTo("6 [1, 3, 5, 6, 7, 9] 103 False none\n{1:101,3:103,5:105,6:106,7:107,9:109}\n" + Ok));
    }

    [Test]
    public async Task Exec_DynArrayGrowth_KeepsEveryElementAndQuirks()
    {
        await Exec.RunAsync("dynarray.py", "--deploy");

        var grow = await Exec.ResultAsync("dynarray.py", "--method", "grow", "--args", "[100]");
        var s = CorpusExec.InstanceSlot;
        var elements = Exec.SlotHex(CorpusExec.Child(s, 0));
        var lastWord = Exec.SlotHex(CorpusExec.Child(CorpusExec.Child(s, 4), 99 * 4));
        var edit = await Exec.ResultAsync("dynarray.py", "--method", "edit");
        var show = await Exec.ResultAsync("dynarray.py", "--method", "show");

        Assert.That(grow, Is.EqualTo("100 100 297 w99 14850\n" + Ok));
        // §17.7: u32 elements back to back in child(slot, 0); str element i's payload at child(child(slot, 4), 4i).
        Assert.That(elements, Is.EqualTo(string.Concat(Enumerable.Range(0, 100).Select(i => Convert.ToHexStringLower(BitConverter.GetBytes((uint)(i * 3)))))));
        Assert.That(lastWord, Is.EqualTo("773939"));
        // pop() returns None; insert(len(a), v) is an IndexError (§17.7 quirk); del shifts elements down.
        Assert.That(edit, Is.EqualTo(
            "None 98\ninsert at len: IndexError\n[7, 3, 6, 9] ['w0', 'changed', 'w4', 'w5'] 98\npast the end: IndexError\n" + Ok));
        Assert.That(Exec.SlotHex(s), Is.EqualTo("63000000" + "62000000"));
        Assert.That(show, Is.EqualTo("[7, 3, 6, 9, 12] 99 w99\n" + Ok));
    }
}
