using System.Numerics;
using GenVm.Core.Calldata;
using GenVm.Core.Host;
using GenVm.Core.Protocol;
using GenVm.Core.Wasi;
using GenVm.Wasm;
using static GenVm.Wasm.ValueKind;

namespace GenVm.Core.Sdk;

/// <summary>
/// The <c>genlayer_sdk</c> import module of one VM (wasm-abi.md §3, §4). Host calls block the wasm thread (wasm runs
/// synchronously on its own thread, style.md §7); host error codes propagate as <see cref="HostErrorException"/>,
/// which the supervisor turns into <c>VMError(&lt;code name&gt;)</c>.
/// </summary>
internal sealed partial class GenlayerSdk
{
    private readonly HostConnection _host;
    private readonly VmCapabilities _vm;
    private readonly DetWasiHost _wasi;
    private readonly Dictionary<Address, BigInteger> _balances;
    private readonly IVmServices? _services;
    private readonly CancellationToken _cancellationToken;
    private readonly long _startedAt = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Binds the SDK to a VM.</summary>
    /// <param name="host">The run's host connection.</param>
    /// <param name="vm">The VM's mode and permissions.</param>
    /// <param name="wasi">The VM's WASI host, where result files are placed (§4.1).</param>
    /// <param name="balanceCache">The run-wide balance cache (§3: the host is asked once per address per run).</param>
    /// <param name="services">Sub-VMs and modules; null refuses those requests as an internal error.</param>
    /// <param name="cancellationToken">Cancels host calls (the run's cancellation, §11).</param>
    public GenlayerSdk(HostConnection host, VmCapabilities vm, DetWasiHost wasi, Dictionary<Address, BigInteger> balanceCache, IVmServices? services, CancellationToken cancellationToken)
    {
        _host = host;
        _vm = vm;
        _wasi = wasi;
        _balances = balanceCache;
        _services = services;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The total <c>value</c> committed by this VM's outgoing calls (§3; per VM, starts at 0).</summary>
    public BigInteger Committed { get; private set; }

    /// <summary>Defines the five functions under <c>genlayer_sdk</c>.</summary>
    public void Define(Linker linker)
    {
        ArgumentNullException.ThrowIfNull(linker);
        Def(linker, SdkImport.StorageRead, [I32, I32, I32, I32], (c, a) => StorageRead(c, a[0].I32, (uint)a[1].I32, a[2].I32, (uint)a[3].I32));
        Def(linker, SdkImport.StorageWrite, [I32, I32, I32, I32], (c, a) => StorageWrite(c, a[0].I32, (uint)a[1].I32, a[2].I32, (uint)a[3].I32));
        Def(linker, SdkImport.GetBalance, [I32, I32], (c, a) => GetBalance(c, a[0].I32, a[1].I32));
        Def(linker, SdkImport.GetSelfBalance, [I32], (c, a) => GetSelfBalance(c, a[0].I32));
        Def(linker, SdkImport.GlCall, [I32, I32, I32], (c, a) => GlCall(c, a[0].I32, a[1].I32, a[2].I32));
    }

    private delegate SdkErrno Body(Caller caller, ReadOnlySpan<Value> args);

    private void Def(Linker linker, string name, ValueKind[] parameters, Body body) =>
        linker.DefineFunction(WasmName.GenlayerSdkModule, name, new FuncType(parameters, [I32]), (caller, args, results) =>
        {
            // A host call during a reactor's start-up is per-execution input: that start-up is never snapshotted.
            _wasi.Startup?.Taint("genlayer_sdk " + name);
            results[0] = Value.FromI32((int)body(caller, args));
        });

    // Wasm runs synchronously on its own thread (style.md §7), so a host call blocks that thread only.
    private T Wait<T>(Func<CancellationToken, Task<T>> call) => call(_cancellationToken).GetAwaiter().GetResult();

    private void Wait(Func<CancellationToken, Task> call) => call(_cancellationToken).GetAwaiter().GetResult();

    private SdkErrno StorageRead(Caller caller, int slotPtr, uint index, int bufferPtr, uint length)
    {
        if (!_vm.Deterministic || !_vm.Has(Permission.Read))
        {
            return SdkErrno.Forbidden;
        }

        if (index + (ulong)length > uint.MaxValue)
        {
            return SdkErrno.Inval;
        }

        var memory = new GuestMemory(caller);
        var slot = memory.Slice(slotPtr, (int)WireSize.Slot).ToArray();
        _ = memory.Slice(bufferPtr, (int)length);
        var data = Wait(t => _host.StorageReadAsync(_vm.ReadType, _vm.Contract, slot, index, length, t));

        // A fresh view: the memory may not move during a host call, but spans are not kept across calls (style.md §2).
        data.CopyTo(new GuestMemory(caller).Slice(bufferPtr, (int)length));
        return SdkErrno.Success;
    }

    private SdkErrno StorageWrite(Caller caller, int slotPtr, uint index, int bufferPtr, uint length)
    {
        if (!_vm.Deterministic || !_vm.Has(Permission.Write))
        {
            return SdkErrno.Forbidden;
        }

        if (index + (ulong)length > uint.MaxValue)
        {
            return SdkErrno.Inval;
        }

        var memory = new GuestMemory(caller);
        var slot = memory.Slice(slotPtr, (int)WireSize.Slot).ToArray();
        foreach (var locked in _vm.LockedSlots)
        {
            if (locked.Span.SequenceEqual(slot))
            {
                return SdkErrno.Forbidden;
            }
        }

        var data = memory.Slice(bufferPtr, (int)length).ToArray();
        Wait(t => _host.StorageWriteAsync(slot, index, data, t));
        return SdkErrno.Success;
    }

    private SdkErrno GetBalance(Caller caller, int addressPtr, int resultPtr)
    {
        var address = new Address(new GuestMemory(caller).Slice(addressPtr, Address.Length));
        WriteU256(caller, resultPtr, Balance(address));
        return SdkErrno.Success;
    }

    private SdkErrno GetSelfBalance(Caller caller, int resultPtr)
    {
        if (!_vm.Deterministic)
        {
            return SdkErrno.Forbidden;
        }

        var balance = Balance(_vm.Contract);
        if (_vm.ReadType == StorageType.Default)
        {
            balance -= Committed;
        }

        WriteU256(caller, resultPtr, balance);
        return SdkErrno.Success;
    }

    // The cache is run-wide and validators run concurrently (wasm-abi.md §7), so the lookup and the host call are
    // one critical section: each address is asked at most once per run (host-protocol.md §5).
    private BigInteger Balance(Address address)
    {
        lock (_balances)
        {
            if (!_balances.TryGetValue(address, out var balance))
            {
                balance = Wait(t => _host.GetBalanceAsync(address, t));
                _balances[address] = balance;
            }

            return balance;
        }
    }

    private static void WriteU256(Caller caller, int resultPtr, BigInteger value)
    {
        var target = new GuestMemory(caller).Slice(resultPtr, (int)WireSize.U256);
        target.Clear();

        // Negative only if committed value exceeded a balance the host lowered meanwhile; wrap like a u256 would.
        var modulo = value.Sign < 0 ? value + (BigInteger.One << 256) : value;
        modulo.TryWriteBytes(target, out _, isUnsigned: true, isBigEndian: false);
    }
}
