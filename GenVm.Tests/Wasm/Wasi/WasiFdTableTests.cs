using GenVm.Wasm.Wasi;

namespace GenVm.Tests.Wasm.Wasi;

[TestFixture]
public sealed class WasiFdTableTests
{
    [Test]
    public void Add_AfterClose_ReusesLowestFreeNumber()
    {
        using var table = new WasiFdTable();
        for (var i = 0; i < 5; i++)
        {
            table.Add(new WasiStreamDescriptor(null, true, false));
        }

        Assert.That(table.Close(3), Is.True);
        Assert.That(table.Close(1), Is.True);
        Assert.That(table.Add(new WasiStreamDescriptor(null, true, false)), Is.EqualTo(1));
        Assert.That(table.Add(new WasiStreamDescriptor(null, true, false)), Is.EqualTo(3));
        Assert.That(table.Add(new WasiStreamDescriptor(null, true, false)), Is.EqualTo(5));
    }

    [Test]
    public void Close_UnknownNumber_ReturnsFalse()
    {
        using var table = new WasiFdTable();
        table.Add(new WasiStreamDescriptor(null, true, false));
        Assert.That(table.Close(7), Is.False);
        Assert.That(table.Close(-1), Is.False);
        Assert.That(table.Close(0), Is.True);
        Assert.That(table.Close(0), Is.False);
    }

    [Test]
    public void Renumber_OpenTarget_MovesDescriptorAndFreesSource()
    {
        using var table = new WasiFdTable();
        var a = new WasiStreamDescriptor(null, true, false);
        table.Add(a);
        table.Add(new WasiStreamDescriptor(null, false, true));
        Assert.That(table.Renumber(0, 1), Is.True);
        Assert.That(table.TryGet(1, out var moved) && ReferenceEquals(moved, a), Is.True);
        Assert.That(table.TryGet(0, out _), Is.False);
        Assert.That(table.Renumber(0, 1), Is.False);
    }
}
