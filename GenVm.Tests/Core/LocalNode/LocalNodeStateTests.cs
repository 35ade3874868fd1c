using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenVm.Core.Calldata;
using GenVm.Core.LocalNode;

namespace GenVm.Tests.Core.LocalNode;

/// <summary>
/// <see cref="LocalNodeState.ToJson"/>: the state file <c>genvm exec</c> writes is the indented JSON text of the
/// documented shape (accounts in address order, balance before storage, slots in order, leader results), the same
/// text the serializer's indented JsonNode output gives, and reads back to the same state.
/// </summary>
[TestFixture]
public sealed class LocalNodeStateTests
{
    [Test]
    public void ToJson_MixedAccounts_IsTheIndentedJsonNodeTextAndRoundTrips()
    {
        var state = new LocalNodeState();
        var a = Address.Parse("0x0100000000000000000000000000000000000000");
        var b = Address.Parse("0x0200000000000000000000000000000000000000");
        var c = Address.Parse("0xff00000000000000000000000000000000000001");
        state.Write(c, new string('b', 64), 0, [1, 2, 3]);
        state.Write(a, new string('a', 64), 0, [0xff]);
        state.Write(a, new string('0', 64), 2, [7]);
        state.Balances[b] = 5;
        state.Balances[c] = System.Numerics.BigInteger.Parse("123456789012345678901234567890", CultureInfo.InvariantCulture);
        state.LeaderResults.Add([0, 1]);
        state.LeaderResults.Add([]);

        var expected = new JsonObject
        {
            ["accounts"] = new JsonObject
            {
                [a.ToString()] = new JsonObject { ["storage"] = new JsonObject { [new string('0', 64)] = "000007", [new string('a', 64)] = "ff" } },
                [b.ToString()] = new JsonObject { ["balance"] = "5" },
                [c.ToString()] = new JsonObject { ["balance"] = "123456789012345678901234567890", ["storage"] = new JsonObject { [new string('b', 64)] = "010203" } },
            },
            ["leader_results"] = new JsonArray("0001", ""),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

        var text = state.ToJson();

        Assert.That(text, Is.EqualTo(expected));
        Assert.That(LocalNodeState.Parse(text).ToJson(), Is.EqualTo(text));
    }

    [Test]
    public void ToJson_Empty_IsTheEmptyShape()
    {
        Assert.That(new LocalNodeState().ToJson(), Is.EqualTo("{\n  \"accounts\": {},\n  \"leader_results\": []\n}\n"));
    }
}
