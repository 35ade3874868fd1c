namespace GenVm.Tests.Core.Host;

/// <summary>One request as the <see cref="TestHost"/> read it: the method id, every octet, and the fields in order.</summary>
internal sealed record TestHostRequest(byte Method, byte[] Raw, IReadOnlyList<KeyValuePair<string, byte[]>> Fields)
{
    /// <summary>The first field called <paramref name="name"/>.</summary>
    public byte[] Field(string name) => Fields.First(f => f.Key == name).Value;

    /// <summary>The whole request as lowercase hex without spaces.</summary>
    public string RawHex => Convert.ToHexStringLower(Raw);
}
