using System.Buffers.Binary;
using GenVm.Core.Calldata;
using GenVm.Core.Runners;
using GenVm.Tests.Core.Host;
using GenVm.Tests.Core.Supervisor;
using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Storage byte vectors (issue 6): for fixed sequences of operations (<c>Corpus/writelog.py</c>), the host's write log
/// — every <c>storage_write</c> the executor sends to the node, in order, zero-length writes included — equals the
/// log written here by hand from python-sdk.md §17 (scalar encodings §17.3/§17.4, DynArray §17.7, the TreeMap
/// algorithm §17.9 and its worked example). The contract runs through <c>genvm run</c> against the test node.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusWriteLogTests
{
    private static readonly byte[] S = CorpusExec.InstanceSlot;

    private static string W(byte[] slot, uint index, string hex) => $"{Convert.ToHexStringLower(slot)[..8]} @{index}: {hex}";

    private static byte[] C(byte[] slot, uint offset) => CorpusExec.Child(slot, offset);

    private static async Task<List<string>> WriteLogAsync(string method)
    {
        var runners = Environment.GetEnvironmentVariable("GENVM_RUNNERS_DIR") ?? string.Empty;
        if (runners.Length == 0 || !File.Exists(Path.Combine(runners, "runners-manifest.json")))
        {
            Assert.Ignore("GENVM_RUNNERS_DIR with a runners-manifest.json is not set (bash runners/build-runners.sh; CI does)");
        }

        var code = File.ReadAllBytes(CorpusExec.Contract("writelog.py"));
        var calldata = CalldataCodec.Encode(CalldataValue.FromMap(("method", CalldataValue.FromString(method))));
        var run = await new ContractRun { Node = ContractRun.Deploy(code, calldata), Runners = RunnerRegistry.Open(runners), ExtraArgs = ["--debug-mode"] }.RunAsync();
        Assert.That(run.ResultLine, Is.EqualTo("executed with `Return(\"\\x00\")`"), System.Text.Encoding.UTF8.GetString(run.Stderr.ToArray()));
        return run.Node.Transcript
            .Where(r => r.Method == 2)
            .Select(r => W(r.Field("slot"), BinaryPrimitives.ReadUInt32LittleEndian(r.Field("index")), Convert.ToHexStringLower(r.Field("data"))))
            .ToList();
    }

    [Test]
    public async Task WriteLog_WorkedExampleRecord_IsTheSpecSequence()
    {
        // §17.9 worked example {a: u8 @0, m: TreeMap[str, u32] @1 (root @1, nodes @5, free @9), arr: DynArray[str] @13,
        // b: bigint @17, s: str @21}; Node[str, u32] = key @0, value @4, left @8, right @12, balance @16 (17 octets).
        var n = C(S, 5);
        var e = C(S, 13);
        string[] expected =
        [
            W(S, 0, "07"),
            // m['1'] = 12 into the empty tree: allocate (nodes length 1), root = 1, then the node: key (length, then the
            // payload in the key's child slot), value, left, right, balance.
            W(S, 5, "01000000"), W(S, 1, "01000000"),
            W(n, 0, "01000000"), W(C(n, 0), 0, "31"), W(n, 4, "0c000000"), W(n, 8, "00000000"), W(n, 12, "00000000"), W(n, 16, "00"),
            // m['abc'] = 30: '1' < 'abc' goes right; allocate, link node 1's right, init node 2, then node 1's balance +1.
            W(S, 5, "02000000"), W(n, 12, "02000000"),
            W(n, 17, "03000000"), W(C(n, 17), 0, "616263"), W(n, 21, "1e000000"), W(n, 25, "00000000"), W(n, 29, "00000000"), W(n, 33, "00"),
            W(n, 16, "01"),
            // §17.7 append: the new length first, then the element.
            W(S, 13, "01000000"), W(e, 0, "01000000"), W(C(e, 0), 0, "78"),
            W(S, 13, "02000000"), W(e, 4, "02000000"), W(C(e, 4), 0, "797a"),
            // §17.3 bigint -1: n = 2 + 1 octets; str: length, then the payload.
            W(S, 17, "03000000"), W(C(S, 17), 0, "ffffff"),
            W(S, 21, "02000000"), W(C(S, 21), 0, "6869"),
        ];

        Assert.That(await WriteLogAsync("worked"), Is.EqualTo(expected));
    }

    [Test]
    public async Task WriteLog_BigintAndStr_LengthThenWholePayloadAndZeroLengthWrite()
    {
        // §17.3: bigint n = 2 + octets of |v| (0 for v = 0), two's complement little-endian; the child slot is not
        // truncated; an empty str still writes zero octets to its child slot.
        var big = C(S, 0);
        var text = C(S, 4);
        string[] expected =
        [
            W(S, 0, "02000000"), W(big, 0, "0000"),
            W(S, 0, "03000000"), W(big, 0, "010000"),
            W(S, 0, "03000000"), W(big, 0, "ffffff"),
            W(S, 0, "03000000"), W(big, 0, "ff0000"),
            W(S, 0, "04000000"), W(big, 0, "00010000"),
            W(S, 0, "03000000"), W(big, 0, "7fffff"),
            W(S, 0, "0a000000"), W(big, 0, "00000000000000800000"),
            W(S, 4, "03000000"), W(text, 0, "616263"),
            W(S, 4, "00000000"), W(text, 0, string.Empty),
        ];

        Assert.That(await WriteLogAsync("scalars"), Is.EqualTo(expected));
    }

    [Test]
    public async Task WriteLog_Datetimes_NaiveLeavesTheOffsetsUnwritten()
    {
        // §17.4 vectors: seconds u64 @0, micros u32 @8, has_tz @12, then (tz-aware only) days @13, seconds @17,
        // micros @21 of utcoffset(); 06:42:42-03:00 is 09:42:42 UTC.
        string[] expected =
        [
            W(S, 0, "e26d456700000000"), W(S, 8, "32790600"), W(S, 12, "00"),
            W(S, 0, "1298456700000000"), W(S, 8, "32790600"), W(S, 12, "01"), W(S, 13, "ffffffff"), W(S, 17, "50270100"), W(S, 21, "00000000"),
        ];

        Assert.That(await WriteLogAsync("datetimes"), Is.EqualTo(expected));
    }

    [Test]
    public async Task WriteLog_DynArray_AppendDeletePopInsertClear()
    {
        var e = C(S, 0);
        string[] expected =
        [
            W(S, 0, "01000000"), W(e, 0, "01"), W(S, 0, "02000000"), W(e, 1, "02"), W(S, 0, "03000000"), W(e, 2, "03"),
            // del a[0]: kept elements copied down one by one, then the new length.
            W(e, 0, "02"), W(e, 1, "03"), W(S, 0, "02000000"),
            // pop(): the length only.
            W(S, 0, "01000000"),
            // insert(0, 9): length + 1, shift up from the end, then a[0].
            W(S, 0, "02000000"), W(e, 1, "02"), W(e, 0, "09"),
            // clear(): length 0 only.
            W(S, 0, "00000000"),
        ];

        Assert.That(await WriteLogAsync("dynarray"), Is.EqualTo(expected));
    }

    [Test]
    public async Task WriteLog_TreeMap_RotationsReleaseAndFreeListReuse()
    {
        // TreeMap[u8, u8]: root @0, nodes @4, free @8; Node = key @0, value @1, left @2, right @6, balance @10 (11
        // octets); node i (0-based) at 11·i of the nodes slot. Values are key + 100.
        var n = C(S, 4);
        var f = C(S, 8);
        string Key(int i) => $"{i:x2}";
        string[] Init(uint at, int key) =>
        [
            W(n, at, Key(key)), W(n, at + 1, Key(key + 100)), W(n, at + 2, "00000000"), W(n, at + 6, "00000000"), W(n, at + 10, "00"),
        ];
        string[] expected =
        [
            // insert 1: allocate, root = 1, init node 0.
            W(S, 4, "01000000"), W(S, 0, "01000000"), .. Init(0, 1),
            // insert 2: link 1.right = 2, init node 1, 1.balance = +1.
            W(S, 4, "02000000"), W(n, 6, "02000000"), .. Init(11, 2), W(n, 10, "01"),
            // insert 3: link 2.right = 3, init node 2; 2.balance = +1; at 1 the balance would be +2 with child balance
            // +1: single left rotation (1, 2): 1.right = 2.left (0), 2.left = 1, both balances 0; root = 2.
            W(S, 4, "03000000"), W(n, 17, "03000000"), .. Init(22, 3), W(n, 21, "01"),
            W(n, 6, "00000000"), W(n, 13, "01000000"), W(n, 10, "00"), W(n, 21, "00"), W(S, 0, "02000000"),
            // del 3: a leaf and the last node → nodes.pop() (length only); 2.right = 0; 2.balance = -1.
            W(S, 4, "02000000"), W(n, 17, "00000000"), W(n, 21, "ff"),
            // del 2: the root with one child, the last node → pop; the child 1 becomes the root, its balance 0.
            W(S, 4, "01000000"), W(S, 0, "01000000"), W(n, 10, "00"),
            // insert 5: nothing free, the nodes array grows over node 1's old bytes; 1.right = 2; 1.balance = +1.
            W(S, 4, "02000000"), W(n, 6, "02000000"), .. Init(11, 5), W(n, 10, "01"),
            // insert 7: 5.right = 3, init node 2, 5.balance = +1, then a left rotation (1, 5) as for 3; root = 2.
            W(S, 4, "03000000"), W(n, 17, "03000000"), .. Init(22, 7), W(n, 21, "01"),
            W(n, 6, "00000000"), W(n, 13, "01000000"), W(n, 10, "00"), W(n, 21, "00"), W(S, 0, "02000000"),
            // del 1: a leaf but not the last node → free.append(0) (length, then the element); 5.left = 0; 5.balance = +1.
            W(S, 8, "01000000"), W(f, 0, "00000000"), W(n, 13, "00000000"), W(n, 21, "01"),
            // insert 6: takes free node 0 (free.pop(): length only); 7.left = 1; init node 0; 7.balance = -1; at 5 the
            // balance would be +2 with child balance -1: right-left rotation (5, 7, 6): 5.right = 6.left,
            // 7.left = 6.right, 6.left = 5, 6.right = 7; 6 was 0 → 5 and 7 get 0, then 6 gets 0; root = 1 (node 0).
            W(S, 8, "00000000"), W(n, 24, "01000000"), .. Init(0, 6), W(n, 32, "ff"),
            W(n, 17, "00000000"), W(n, 24, "00000000"), W(n, 2, "02000000"), W(n, 6, "03000000"),
            W(n, 21, "00"), W(n, 32, "00"), W(n, 10, "00"), W(S, 0, "01000000"),
        ];

        Assert.That(await WriteLogAsync("tree"), Is.EqualTo(expected));
    }
}
