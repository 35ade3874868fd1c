namespace GenVm.Wasm.Binary;

/// <summary>A custom section: its name and where its payload lies in the module binary.</summary>
internal sealed record CustomSection(string Name, int PayloadOffset, int PayloadLength);
