using System.Security.Cryptography;
using static GenVm.Wasm.ValueKind;

namespace GenVm.Wasm.Wasi;

/// <summary><c>random_get</c> from an injected <see cref="Random"/>, or the OS cryptographic generator.</summary>
public sealed class WasiRandom
{
    private readonly Random? _random;

    /// <summary>Uses <paramref name="random"/>; null means <see cref="RandomNumberGenerator"/>.</summary>
    public WasiRandom(Random? random) => _random = random;

    /// <summary>Defines <c>random_get</c>.</summary>
    public void Define(Linker linker) =>
        WasiBinding.Define(linker, "random_get", [I32, I32], (caller, a) => Get(caller, a[0].I32, a[1].I32));

    private WasiErrno Get(Caller caller, int buffer, int length)
    {
        if (!new GuestMemory(caller).TrySpan(buffer, length, out var target))
        {
            return WasiErrno.Fault;
        }

        if (_random is null)
        {
            RandomNumberGenerator.Fill(target);
        }
        else
        {
            _random.NextBytes(target);
        }

        return WasiErrno.Success;
    }
}
