using System.Diagnostics.CodeAnalysis;

namespace GenVm.Core.Wasi;

/// <summary>
/// The descriptor table of one deterministic VM (wasm-abi.md §9.1): a new descriptor reuses the most recently freed
/// number (LIFO), else takes <c>highest-ever-allocated + 1</c>. Any number, 0-3 included, may be closed and reused.
/// </summary>
internal sealed class DetFdTable
{
    private readonly Dictionary<uint, DetDescriptor> _open = [];
    private readonly Stack<uint> _free = new();
    private uint _next;

    /// <summary>Units charged per brand-new number (wasm-abi.md §12 <c>fd_allocation</c>).</summary>
    public const long FdAllocationCharge = 96;

    /// <summary>How many brand-new numbers were handed out (each is charged 96 from the memory pool, §12).</summary>
    public int NewNumbers { get; private set; }

    /// <summary>Charges the VM's memory pool for each brand-new number from now on (§12); null charges nothing.</summary>
    public Func<long, bool>? Charge { get; set; }

    /// <summary>Reserves a number: the last freed one, else a brand-new one.</summary>
    /// <exception cref="GenVm.Wasm.ResourceExhaustedException">A brand-new number does not fit the pool (VMError OOM, §12).</exception>
    public uint Reserve()
    {
        if (_free.TryPop(out var reused))
        {
            return reused;
        }

        if (Charge is { } charge && !charge(FdAllocationCharge))
        {
            throw new GenVm.Wasm.ResourceExhaustedException("fd allocation", FdAllocationCharge);
        }

        NewNumbers++;
        return _next++;
    }

    /// <summary>The numbering state: the next brand-new number and the free list (most recent last).</summary>
    public (uint Next, uint[] Free, int NewNumbers) Numbering => (_next, [.. _free.Reverse()], NewNumbers);

    /// <summary>How many descriptors are open.</summary>
    public int OpenCount => _open.Count;

    /// <summary>
    /// Makes the numbering of this table (with only its initial descriptors open) what <paramref name="numbering"/>
    /// says, charging the brand-new numbers beyond its own as <see cref="Reserve"/> would have: the table state a
    /// snapshotted start-up left behind (its opened descriptors are all closed again).
    /// </summary>
    /// <exception cref="GenVm.Wasm.ResourceExhaustedException">The numbers do not fit the pool (§12).</exception>
    public void Adopt((uint Next, uint[] Free, int NewNumbers) numbering)
    {
        for (var i = NewNumbers; i < numbering.NewNumbers; i++)
        {
            if (Charge is { } charge && !charge(FdAllocationCharge))
            {
                throw new GenVm.Wasm.ResourceExhaustedException("fd allocation", FdAllocationCharge);
            }
        }

        NewNumbers = Math.Max(NewNumbers, numbering.NewNumbers);
        _next = numbering.Next;
        _free.Clear();
        foreach (var fd in numbering.Free)
        {
            _free.Push(fd);
        }
    }

    /// <summary>Returns a reserved but unused number to the free list (§9.3 <c>path_open</c> failure).</summary>
    public void Unreserve(uint fd) => _free.Push(fd);

    /// <summary>Binds a reserved number to a descriptor.</summary>
    public void Set(uint fd, DetDescriptor descriptor) => _open[fd] = descriptor;

    /// <summary>Reserves a number and binds it.</summary>
    public uint Add(DetDescriptor descriptor)
    {
        var fd = Reserve();
        Set(fd, descriptor);
        return fd;
    }

    /// <summary>The descriptor of <paramref name="fd"/>, if open.</summary>
    public bool TryGet(int fd, [NotNullWhen(true)] out DetDescriptor? descriptor) => _open.TryGetValue((uint)fd, out descriptor);

    /// <summary>Closes <paramref name="fd"/> and frees its number; false if it was not open.</summary>
    public bool Close(int fd, [NotNullWhen(true)] out DetDescriptor? descriptor)
    {
        if (!_open.Remove((uint)fd, out descriptor))
        {
            return false;
        }

        _free.Push((uint)fd);
        return true;
    }
}
