namespace GenVm.Wasm.Wasi;

/// <summary>What a plain WASI preview1 guest sees of the world. Immutable once given to <see cref="WasiHost"/>.</summary>
public sealed class WasiConfiguration
{
    /// <summary>Command-line arguments, program name first.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Environment variables, in the order the guest sees them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];

    /// <summary>Preopened directories: fd 3, 4, ... in this order.</summary>
    public IReadOnlyList<WasiPreopen> Preopens { get; init; } = [];

    /// <summary>fd 0; null reads as an empty stream.</summary>
    public Stream? Stdin { get; init; }

    /// <summary>fd 1; null discards.</summary>
    public Stream? Stdout { get; init; }

    /// <summary>fd 2; null discards.</summary>
    public Stream? Stderr { get; init; }

    /// <summary>The source of <c>clock_time_get</c>: realtime is <see cref="TimeProvider.GetUtcNow"/>, monotonic is its timestamp.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The source of <c>random_get</c>; null uses the OS cryptographic generator.</summary>
    public Random? Random { get; init; }
}
