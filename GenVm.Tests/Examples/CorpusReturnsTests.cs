using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>
/// Corpus return-value and storage-object cases (contract-corpus.md §2.8 ret/returns, §2.15 gvm-89, to_str,
/// alloc_generic, alloc_generic_err, §2.9 store_proxy, §2.14 issue_163; python-sdk.md §3, §6.4, §16, §17.5) through
/// <c>genvm exec</c>: the returned calldata octets are written by hand from calldata.md §3 and rendered per §9.1.
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusReturnsTests : CorpusFixture
{
    private static string Returns(string rendered) => $"executed with `Return(\"{rendered}\")`\n";

    [Test]
    public async Task Exec_ReturnedValues_AreTheirCalldataOctets()
    {
        await Exec.RunAsync("returns.py", "--deploy");
        var a = "\\x18" + new string('a', 20);
        var b = "\\x18" + new string('b', 20);

        // Address: special 0x18 + 20 octets; str 'abc': (3 << 3) | 4 = 0x1c.
        Assert.That(await Exec.ResultAsync("returns.py", "--method", "addr"), Is.EqualTo(Returns(a)));
        Assert.That(await Exec.ResultAsync("returns.py", "--method", "text"), Is.EqualTo(Returns("\\x1cabc")));
        // [5, -3, 0]: array of 3 = 0x1d; 5 → 0x29 ')'; -3 → ((3 - 1) << 3) | 2 = 0x12; 0 → 0x01.
        Assert.That(await Exec.ResultAsync("returns.py", "--method", "numbers"), Is.EqualTo(Returns("\\x1d)\\x12\\x01")));
        // bytes 01 02: (2 << 3) | 3 = 0x13.
        Assert.That(await Exec.ResultAsync("returns.py", "--method", "raw"), Is.EqualTo(Returns("\\x13\\x01\\x02")));
        // [True, False, None]: 0x10, 0x08, 0x00.
        Assert.That(await Exec.ResultAsync("returns.py", "--method", "flags"), Is.EqualTo(Returns("\\x1d\\x10\\x08\\x00")));
        Assert.That(await Exec.ResultAsync("returns.py", "--method", "addrs"), Is.EqualTo(Returns("\\x15" + a + b)));
        // {'b': 1, 'a': [True]}: map of 2 = 0x16, keys sorted, each a bare length then the octets (§3.5, §5).
        Assert.That(await Exec.ResultAsync("returns.py", "--method", "mapping"), Is.EqualTo(Returns("\\x16\\x01a\\x0d\\x10\\x01b\\x09")));
        // Indexing past the end raises IndexError: exit code 1.
        Assert.That(await Exec.ResultAsync("returns.py", "--method", "past_end"), Is.EqualTo("executed with `VMError(\"exit_code 1\")`\n"));
        // §6.4 (gvm-89): a DynArray[Foo] of dataclass Foo(x: DynArray[str]) → 0d 0e 01 78 0d 1c 31 32 33.
        Assert.That(await Exec.ResultAsync("returns.py", "--method", "fill"), Is.EqualTo(Returns("\\x0d\\x0e\\x01x\\x0d\\x1c123")));
    }

    [Test]
    public async Task Exec_StorageObjects_StrGenericsAliasingAndWrongAssignments()
    {
        await Exec.RunAsync("returns.py", "--deploy");

        // to_str: an uninitialised storage dataclass reads zero values (datetime: the epoch, naive).
        Assert.That(await Exec.ResultAsync("returns.py", "--method", "show_user"),
            Is.EqualTo(CorpusExec.ReturnsString("User(name='', birthday=datetime.datetime(1970, 1, 1, 0, 0))")));
        // alloc_generic / alloc_generic_err: inmem_allocate builds Gen[bytes]; Gen[bytes](...) is a TypeError.
        Assert.That(await Exec.ResultAsync("returns.py", "--method", "generic"), Is.EqualTo(CorpusExec.ReturnsString(
            "b'\\x07' seven | generic storage classes can not be instantiated with __init__, please, use gl.storage.inmem_allocate")));
        // store_proxy: a view kept before the field is overwritten shows the new contents.
        Assert.That(await Exec.ResultAsync("returns.py", "--method", "alias"), Is.EqualTo(CorpusExec.ReturnsString("second,third")));
        // issue_163: a dict is not a TreeMap (§17.5).
        Assert.That(await Exec.ResultAsync("returns.py", "--method", "assign_dict"),
            Is.EqualTo(CorpusExec.ReturnsString("Is right the same storage type? `TreeMap[str, u32]` <- `dict`")));
    }

    [Test]
    public async Task Exec_NestedTreeMapWithAddressKeys_InnerMapsCreatedOnFirstUse()
    {
        var a = "addr#" + new string('a', 40);
        var b = "addr#" + new string('b', 40);
        var c = "addr#" + new string('c', 40);
        var d = "addr#" + new string('d', 40);
        await Exec.RunAsync("nested.py", "--deploy");
        await Exec.RunAsync("nested.py", "--method", "put", "--args", $"[{a}, {b}, 5]");
        await Exec.RunAsync("nested.py", "--method", "put", "--args", $"[{a}, {c}, 6]");
        await Exec.RunAsync("nested.py", "--method", "put", "--args", $"[{d}, {b}, 7]");

        // 6 = (6 << 3) | 1 = '1'; sizes [2, 2, 1] in key order: 0x1d, 0x11, 0x11, 0x09; a missing inner key: KeyError.
        Assert.That(await Exec.ResultAsync("nested.py", "--method", "get", "--args", $"[{a}, {c}]"), Is.EqualTo(Returns("1")));
        Assert.That(await Exec.ResultAsync("nested.py", "--method", "sizes"), Is.EqualTo(Returns("\\x1d\\x11\\x11\\x09")));
        Assert.That(await Exec.ResultAsync("nested.py", "--method", "get", "--args", $"[{d}, {c}]"), Is.EqualTo("executed with `VMError(\"exit_code 1\")`\n"));
    }
}
