using System.Diagnostics.CodeAnalysis;

namespace GenVm.Wasm.Wasi;

/// <summary>The guest's file descriptor numbers. New descriptors take the lowest free number, as POSIX does.</summary>
public sealed class WasiFdTable : IDisposable
{
    private readonly List<WasiDescriptor?> _slots = [];

    /// <summary>Number of open descriptors.</summary>
    public int Count => _slots.Count(s => s is not null);

    /// <summary>Adds a descriptor; returns its number.</summary>
    public int Add(WasiDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var free = _slots.IndexOf(null);
        if (free >= 0)
        {
            _slots[free] = descriptor;
            return free;
        }

        _slots.Add(descriptor);
        return _slots.Count - 1;
    }

    /// <summary>The descriptor of <paramref name="fd"/>, if open.</summary>
    public bool TryGet(int fd, [NotNullWhen(true)] out WasiDescriptor? descriptor)
    {
        descriptor = fd >= 0 && fd < _slots.Count ? _slots[fd] : null;
        return descriptor is not null;
    }

    /// <summary>Closes <paramref name="fd"/>; false when it was not open.</summary>
    public bool Close(int fd)
    {
        if (!TryGet(fd, out var descriptor))
        {
            return false;
        }

        _slots[fd] = null;
        descriptor.Dispose();
        return true;
    }

    /// <summary>Moves <paramref name="from"/> to <paramref name="to"/>, closing what <paramref name="to"/> held.</summary>
    public bool Renumber(int from, int to)
    {
        if (!TryGet(from, out var descriptor) || !TryGet(to, out _))
        {
            return false;
        }

        if (from != to)
        {
            Close(to);
            _slots[to] = descriptor;
            _slots[from] = null;
        }

        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        for (var i = 0; i < _slots.Count; i++)
        {
            _slots[i]?.Dispose();
            _slots[i] = null;
        }
    }
}
