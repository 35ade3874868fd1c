namespace GenVm.Core.Host;

/// <summary>One wasm stack frame of a <see cref="Fingerprint"/> (host-protocol.md §7.4).</summary>
/// <param name="FunctionIndex">Index in the module's function index space (imports included).</param>
/// <param name="ModuleName">The module's name from its name section; empty when it has none.</param>
internal sealed record FingerprintFrame(uint FunctionIndex, string ModuleName);
