using System.Numerics;
using GenVm.Core.Calldata;

namespace GenVm.Core.LocalNode;

/// <summary>
/// One <c>deploy_contract</c> request a transaction sent to the local node (host-protocol.md §6): the constructor
/// calldata, the child's code and the side data <c>{"on", "salt_nonce", "value"}</c>, with the deploying contract.
/// <c>genvm exec</c> applies it after the transaction returned (docs/decisions.md
/// "genvm exec applies deploys").
/// </summary>
/// <param name="Deployer">The contract whose transaction sent the request (the child's sender).</param>
/// <param name="Calldata">The constructor's entry calldata (<c>{"args"?, "kwargs"?}</c>, python-sdk.md §12.3).</param>
/// <param name="Code">The child's contract code.</param>
/// <param name="Data">The side data JSON as sent.</param>
internal sealed record LocalDeploy(Address Deployer, byte[] Calldata, byte[] Code, string Data)
{
    /// <summary>The <c>salt_nonce</c> of the side data (a <c>0x</c> hex u256); 0 when absent or unreadable.</summary>
    public BigInteger SaltNonce => HexField("salt_nonce");

    /// <summary>The <c>value</c> of the side data (a <c>0x</c> hex u256); 0 when absent or unreadable.</summary>
    public BigInteger Value => HexField("value");

    /// <summary>
    /// The address the child gets. With a salt (python-sdk.md §12.3, MUST): the first 20 octets of
    /// <c>Keccak-256(0x01 ‖ deployer ‖ salt_nonce as 32-octet big-endian ‖ chain_id as 32-octet big-endian)</c>,
    /// the address the SDK returns to the contract. Without one the node chooses (the SDK returns None): ours is the
    /// first of <c>Keccak-256(0x00 ‖ deployer ‖ n as 32-octet big-endian)</c>, n = 0, 1, …, that has no code in
    /// <paramref name="hasCode"/>.
    /// </summary>
    public Address ChildAddress(BigInteger chainId, Func<Address, bool> hasCode)
    {
        ArgumentNullException.ThrowIfNull(hasCode);
        var salt = SaltNonce;
        if (!salt.IsZero)
        {
            return Derive(0x01, salt, chainId);
        }

        for (var n = BigInteger.Zero; ; n++)
        {
            var candidate = Derive(0x00, n, null);
            if (!hasCode(candidate))
            {
                return candidate;
            }
        }
    }

    private Address Derive(byte tag, BigInteger word, BigInteger? chainId)
    {
        var input = new byte[1 + Address.Length + 32 + (chainId is null ? 0 : 32)];
        input[0] = tag;
        Deployer.CopyTo(input.AsSpan(1));
        WriteWord(input.AsSpan(1 + Address.Length, 32), word);
        if (chainId is { } chain)
        {
            WriteWord(input.AsSpan(1 + Address.Length + 32, 32), chain);
        }

        return new Address(Keccak256.Hash(input).AsSpan(0, Address.Length));
    }

    // A u256 as 32 big-endian octets; wider values keep their low 256 bits.
    private static void WriteWord(Span<byte> destination, BigInteger value)
    {
        var octets = (value & ((BigInteger.One << 256) - 1)).ToByteArray(isUnsigned: true, isBigEndian: true);
        octets.CopyTo(destination[(32 - octets.Length)..]);
    }

    private BigInteger HexField(string name) => LocalSideData.Hex(Data, name);
}
