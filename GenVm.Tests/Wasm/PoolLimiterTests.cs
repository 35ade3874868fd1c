using GenVm.Wasm;

namespace GenVm.Tests.Wasm;

/// <summary>The shared memory pool of wasm-abi.md §12: charges, the pool edge, OOM, and return on dispose.</summary>
[TestFixture]
public sealed class PoolLimiterTests
{
    private const long Page = Memory.PageSize;

    private const string Growable = """
        (module (memory (export "mem") 1)
          (table $t (export "t") 4 funcref)
          (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
          (func (export "tgrow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0))))
        """;

    [Test]
    public void Instantiate_InitialMemoryAndTable_ChargedIncludingInitialSize()
    {
        var pool = new ResourcePool(10 * Page);
        using var store = new Store(new Engine(), pool);
        WatCompiler.Instantiate(store, Growable);
        Assert.That(store.Pool!.Charged, Is.EqualTo(Page + (4 * PoolLimiter.TableEntryCost)));
        Assert.That(pool.Available, Is.EqualTo((10 * Page) - Page - 256));
    }

    [Test]
    public void MemoryGrow_AtPoolEdge_ReturnsMinusOne()
    {
        var pool = new ResourcePool((3 * Page) + (4 * PoolLimiter.TableEntryCost));
        using var store = new Store(new Engine(), pool);
        var grow = WatCompiler.Instantiate(store, Growable).GetFunction("grow")!;
        Assert.That(grow.Invoke(Value.FromI32(2))[0].I32, Is.EqualTo(1), "exactly fills the pool");
        Assert.That(pool.Available, Is.Zero);
        Assert.That(grow.Invoke(Value.FromI32(1))[0].I32, Is.EqualTo(-1), "one page past the edge");
        Assert.That(grow.Invoke(Value.FromI32(0))[0].I32, Is.EqualTo(3), "nothing was charged for the refused grow");
        Assert.That(store.Pool!.Charged, Is.EqualTo(pool.Capacity));
    }

    [Test]
    public void TableGrow_AtPoolEdge_ReturnsMinusOne()
    {
        var pool = new ResourcePool(Page + (10 * PoolLimiter.TableEntryCost));
        using var store = new Store(new Engine(), pool);
        var grow = WatCompiler.Instantiate(store, Growable).GetFunction("tgrow")!;
        Assert.That(grow.Invoke(Value.FromI32(6))[0].I32, Is.EqualTo(4), "4 + 6 elements at 64 units fill the pool");
        Assert.That(grow.Invoke(Value.FromI32(1))[0].I32, Is.EqualTo(-1));
        Assert.That(pool.Available, Is.Zero);
    }

    [Test]
    public void Instantiate_InitialMemoryAbovePool_ThrowsOomAndKeepsNothing()
    {
        var pool = new ResourcePool(Page);
        using (var store = new Store(new Engine(), pool))
        {
            var ex = Assert.Throws<ResourceExhaustedException>(() => WatCompiler.Instantiate(store, "(module (memory 2))"))!;
            Assert.That(ex.What, Is.EqualTo("memory"));
            Assert.That(ex.Units, Is.EqualTo(2 * Page));
            Assert.That(ex.Message, Does.StartWith("OOM"));
        }

        Assert.That(pool.Available, Is.EqualTo(Page));
    }

    [Test]
    public void Instantiate_InitialTableAbovePool_ThrowsOom()
    {
        var pool = new ResourcePool(100);
        using var store = new Store(new Engine(), pool);
        var ex = Assert.Throws<ResourceExhaustedException>(() => WatCompiler.Instantiate(store, "(module (table 2 funcref))"))!;
        Assert.That(ex.What, Is.EqualTo("table"));
        Assert.That(ex.Units, Is.EqualTo(128));
    }

    [Test]
    public void Dispose_AfterGrowthAndEmbedderCharges_ReturnsEverything()
    {
        var pool = new ResourcePool(100 * Page);
        var store = new Store(new Engine(), pool);
        var instance = WatCompiler.Instantiate(store, Growable);
        instance.GetFunction("grow")!.Invoke(Value.FromI32(5));
        instance.GetFunction("tgrow")!.Invoke(Value.FromI32(100));
        store.Pool!.Charge(96, "fd_allocation");
        store.Pool.Charge(256 + 12, "file_mapping");
        Assert.That(pool.Available, Is.EqualTo(pool.Capacity - (6 * Page) - (104 * 64) - 96 - 268));
        store.Dispose();
        Assert.That(pool.Available, Is.EqualTo(pool.Capacity));
        Assert.That(store.Pool.Charged, Is.Zero);
        store.Dispose();
        Assert.That(pool.Available, Is.EqualTo(pool.Capacity), "a second dispose gives nothing twice");
    }

    [Test]
    public void Charge_BeyondPool_ThrowsOomAndChargesNothing()
    {
        var pool = new ResourcePool(1000);
        using var store = new Store(new Engine(), pool);
        store.Pool!.Charge(900, "archive");
        var ex = Assert.Throws<ResourceExhaustedException>(() => store.Pool.Charge(101, "fd_allocation"))!;
        Assert.That(ex.What, Is.EqualTo("fd_allocation"));
        Assert.That(pool.Available, Is.EqualTo(100));
        store.Pool.Charge(100, "fd_allocation");
        Assert.That(pool.Available, Is.Zero);
    }

    [Test]
    public void Refund_ResultFileClosed_GoesBackToPoolButNeverMoreThanCharged()
    {
        var pool = new ResourcePool(1000);
        using var store = new Store(new Engine(), pool);
        store.Pool!.Charge(300, "result file");
        store.Pool.Refund(200);
        Assert.That(pool.Available, Is.EqualTo(900));
        store.Pool.Refund(5000);
        Assert.That(pool.Available, Is.EqualTo(1000));
        Assert.That(store.Pool.Charged, Is.Zero);
    }

    [Test]
    public void Donate_Fd0Quirk_AddsUnitsThatWereNeverCharged()
    {
        var pool = new ResourcePool(1000);
        using var store = new Store(new Engine(), pool);
        store.Pool!.Donate(50);
        Assert.That(pool.Available, Is.EqualTo(1050));
        Assert.That(store.Pool.Charged, Is.Zero);
    }

    [Test]
    public void TwoStores_SharingOnePool_CompeteAndGetItBackOnDispose()
    {
        var pool = new ResourcePool(4 * Page);
        var engine = new Engine();
        var first = new Store(engine, pool);
        using var second = new Store(engine, pool);
        var grow = WatCompiler.Instantiate(first, "(module (memory 1) (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0))))").GetFunction("grow")!;
        Assert.That(grow.Invoke(Value.FromI32(2))[0].I32, Is.EqualTo(1));
        Assert.Throws<ResourceExhaustedException>(() => WatCompiler.Instantiate(second, "(module (memory 2))"));
        Assert.That(pool.Available, Is.EqualTo(Page));
        first.Dispose();
        Assert.That(pool.Available, Is.EqualTo(4 * Page));
        WatCompiler.Instantiate(second, "(module (memory 2))");
        Assert.That(second.Pool!.Charged, Is.EqualTo(2 * Page));
    }

    [Test]
    public void MemoryGrow_To4GiBWithDefaultPool_ReturnsMinusOne()
    {
        // The pool holds 4 294 967 295 units, one byte short of 4 GiB: a whole 32-bit memory never fits.
        var pool = new ResourcePool();
        using var store = new Store(new Engine(), pool);
        var grow = WatCompiler.Instantiate(store, "(module (memory 0) (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0))))").GetFunction("grow")!;
        Assert.That(grow.Invoke(Value.FromI32(65536))[0].I32, Is.EqualTo(-1));
        Assert.That(grow.Invoke(Value.FromI32(65535))[0].I32, Is.Zero);
        Assert.That(pool.Available, Is.EqualTo(ResourcePool.DefaultCapacity - (65535 * Page)));
    }
}
