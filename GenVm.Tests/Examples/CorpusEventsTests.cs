using GenVm.Core.LocalNode;
using NUnit.Framework;

namespace GenVm.Tests.Examples;

/// <summary>Corpus event cases (contract-corpus.md §2.6; python-sdk.md §13) through <c>genvm exec</c>.</summary>
[TestFixture]
[Category("Toolchain")]
public sealed class CorpusEventsTests : CorpusFixture
{
    // runners.md §3: v0.1.5 (and up to v0.1.10) is allowed from 2025-07-10T11:56:59Z on.
    private const string July2025 = "2025-07-11T00:00:00Z";

    [Test]
    public void Keccak256_KnownVectors_MatchTheReferenceHasher()
    {
        // The empty-input Keccak-256 and python-sdk.md §13's vector (its first and last octets).
        Assert.That(Keccak256.HexOf(string.Empty), Is.EqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"));
        Assert.That(Keccak256.HexOf("TestEvent(action,user_id)"), Does.StartWith("b4751df5").And.EndWith("23b40dac"));
    }

    [Test]
    public async Task Exec_PostEvent_TopicsAreSignatureThenSortedIndexedValues()
    {
        var emit = await Exec.RunAsync("events_post.py", "--datetime", July2025, "--method", "emit");

        // TestEvent(42, 'a' * 40): bound to the sorted names, action = 42 (calldata d1 02, padded to 32 octets) and
        // user_id = 'a' * 40, whose encoding (header (40 << 3) | 4 = 324 = c4 02, then 40 octets) is longer than 32
        // octets, so its topic is the Keccak-256 of the encoding. Moved(who): the class attribute name wins; an
        // Address encodes as 18 + its 20 octets (calldata.md).
        var user = Keccak256.Hash([0xc4, 0x02, .. System.Text.Encoding.ASCII.GetBytes(new string('a', 40))]);
        Assert.That(emit, Is.EqualTo(
            "TestEvent(action,user_id) Moved(who)\n"
            + "executed with `Return(\"\\x00\")`\n"
            + $"post_event [0x{Keccak256.HexOf("TestEvent(action,user_id)")}, 0xd102{new string('0', 60)}, 0x{Convert.ToHexStringLower(user)}]: "
            + "{\"action\":42,\"memo\":\"hi\",\"user_id\":\"" + new string('a', 40) + "\"}\n"
            + $"post_event [0x{Keccak256.HexOf("Moved(who)")}, 0x18{string.Concat(Enumerable.Repeat("22", 20))}{new string('0', 22)}]: "
            + "{\"who\":addr#2222222222222222222222222222222222222222}\n"
            + $"post_event [0x{string.Concat(Enumerable.Repeat("01", 32))}]: {{\"raw\":true}}\n"));
    }

    [Test]
    public async Task Exec_OldAndTooNewVersions_AreRefused()
    {
        // old_ver: no header = v0.1.0, events need v0.1.5 → 2: inval (caught by the contract).
        var old = await Exec.ResultAsync("events_old.py", "--method", "emit");
        // new_ver: v999.2.0 is newer than any known version.
        var tooNew = await Exec.ResultAsync("events_new.py", "--datetime", July2025, "--method", "emit");

        Assert.That(old, Is.EqualTo("emit: 2: inval\nexecuted with `Return(\"\\x00\")`\n"));
        Assert.That(tooNew, Is.EqualTo("executed with `VMError(\"version_too_big\")`\n"));
    }
}
