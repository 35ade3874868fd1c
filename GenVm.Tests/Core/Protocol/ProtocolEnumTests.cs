using System.Globalization;
using GenVm.Core.Protocol;

namespace GenVm.Tests.Core.Protocol;

/// <summary>
/// Every generated enum against the numbers written in the spec, typed here by hand from the spec tables, so a wrong
/// entry in protocol/constants.json fails a test.
/// </summary>
[TestFixture]
public sealed class ProtocolEnumTests
{
    [Test]
    public void HostMethod_Values_MatchHostProtocolSection3()
    {
        AssertEnum(
            typeof(byte),
            (HostMethod.GetCalldata, 0),
            (HostMethod.StorageRead, 1),
            (HostMethod.StorageWrite, 2),
            (HostMethod.ConsumeResult, 3),
            (HostMethod.GetLeaderNondetResult, 4),
            (HostMethod.PostNondetResult, 5),
            (HostMethod.PostMessage, 6),
            (HostMethod.PostEvent, 7),
            (HostMethod.ConsumeFuel, 8),
            (HostMethod.DeployContract, 9),
            (HostMethod.EthCall, 10),
            (HostMethod.EthSend, 11),
            (HostMethod.GetBalance, 12),
            (HostMethod.RemainingFuelAsGen, 13),
            (HostMethod.NotifyNondetDisagreement, 14));
    }

    [TestCase(HostMethod.GetCalldata, "get_calldata")]
    [TestCase(HostMethod.GetLeaderNondetResult, "get_leader_nondet_result")]
    [TestCase(HostMethod.RemainingFuelAsGen, "remaining_fuel_as_gen")]
    [TestCase(HostMethod.NotifyNondetDisagreement, "notify_nondet_disagreement")]
    public void HostMethodToSpecName_KnownMethod_ReturnsSpecName(HostMethod method, string expected)
    {
        Assert.That(method.ToSpecName(), Is.EqualTo(expected));
    }

    [Test]
    public void HostError_Values_MatchHostProtocolSection4()
    {
        AssertEnum(
            typeof(byte),
            (HostError.Ok, 0),
            (HostError.Absent, 1),
            (HostError.Forbidden, 2),
            (HostError.IAmLeader, 3),
            (HostError.OutOfStorageGas, 4));
    }

    [TestCase(HostError.Ok, "ok")]
    [TestCase(HostError.Absent, "absent")]
    [TestCase(HostError.Forbidden, "forbidden")]
    [TestCase(HostError.IAmLeader, "i_am_leader")]
    [TestCase(HostError.OutOfStorageGas, "out_of_storage_gas")]
    public void HostErrorToSpecName_KnownError_ReturnsVmErrorText(HostError error, string expected)
    {
        Assert.That(error.ToSpecName(), Is.EqualTo(expected));
    }

    [Test]
    public void HostErrorToSpecName_UndefinedValue_Throws()
    {
        // host-protocol.md §4: any other byte is "invalid error id N", not a name.
        Assert.That(() => ((HostError)5).ToSpecName(), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void ResultCode_Values_MatchHostProtocolSection7_2()
    {
        AssertEnum(
            typeof(byte),
            (ResultCode.Return, 0),
            (ResultCode.UserError, 1),
            (ResultCode.VmError, 2),
            (ResultCode.InternalError, 3));
        Assert.That(ResultCode.VmError.ToSpecName(), Is.EqualTo("vm_error"));
    }

    [Test]
    public void StorageType_Values_MatchHostProtocolSection5()
    {
        AssertEnum(
            typeof(byte),
            (StorageType.Default, 0),
            (StorageType.LatestFinal, 1),
            (StorageType.LatestNonFinal, 2));
        Assert.That(StorageType.LatestNonFinal.ToSpecName(), Is.EqualTo("latest_non_final"));
    }

    [Test]
    public void EntryKind_Values_MatchWasmAbiSection6()
    {
        AssertEnum(
            typeof(byte),
            (EntryKind.Main, 0),
            (EntryKind.Sandbox, 1),
            (EntryKind.ConsensusStage, 2));
    }

    [Test]
    public void SdkErrno_Values_MatchWasmAbiSection3()
    {
        AssertEnum(
            typeof(uint),
            (SdkErrno.Success, 0),
            (SdkErrno.Overflow, 1),
            (SdkErrno.Inval, 2),
            (SdkErrno.Fault, 3),
            (SdkErrno.Ilseq, 4),
            (SdkErrno.Io, 5),
            (SdkErrno.Forbidden, 6),
            (SdkErrno.Inbalance, 7));

        // python-sdk.md §18.2: the SDK shows these as "<n>: <name>".
        Assert.That(SdkErrno.Inbalance.ToSpecName(), Is.EqualTo("inbalance"));
    }

    [Test]
    public void WasiErrno_Values_MatchWasmAbiSection9()
    {
        AssertEnum(
            typeof(ushort),
            (WasiErrno.Success, 0),
            (WasiErrno.Acces, 2),
            (WasiErrno.Badf, 8),
            (WasiErrno.Fault, 21),
            (WasiErrno.Ilseq, 25),
            (WasiErrno.Inval, 28),
            (WasiErrno.Isdir, 31),
            (WasiErrno.Noent, 44),
            (WasiErrno.Notsup, 58),
            (WasiErrno.Overflow, 61),
            (WasiErrno.Rofs, 69),
            (WasiErrno.Spipe, 70));
    }

    [Test]
    public void WasiFileType_Values_MatchWasmAbiSection9()
    {
        AssertEnum(
            typeof(byte),
            (WasiFileType.Unknown, 0),
            (WasiFileType.CharacterDevice, 2),
            (WasiFileType.Directory, 3),
            (WasiFileType.RegularFile, 4));
    }

    [Test]
    public void CalldataTag_Values_MatchCalldataSection3()
    {
        AssertEnum(
            typeof(byte),
            (CalldataTag.Special, 0),
            (CalldataTag.Pint, 1),
            (CalldataTag.Nint, 2),
            (CalldataTag.Bytes, 3),
            (CalldataTag.Str, 4),
            (CalldataTag.Arr, 5),
            (CalldataTag.Map, 6));
    }

    [Test]
    public void CalldataSpecial_Values_MatchCalldataSection3_1()
    {
        AssertEnum(
            typeof(byte),
            (CalldataSpecial.Null, 0x00),
            (CalldataSpecial.False, 0x08),
            (CalldataSpecial.True, 0x10),
            (CalldataSpecial.Address, 0x18));
    }

    [Test]
    public void CalldataSpecial_Values_AreSpecialTagHeaders()
    {
        // calldata.md §3.1: byte = (P << 3) | SPECIAL with P = 0, 1, 2, 3.
        foreach (var special in Enum.GetValues<CalldataSpecial>())
        {
            Assert.That((byte)special & 7, Is.EqualTo((byte)CalldataTag.Special), special.ToString());
        }
    }

    [Test]
    public void RootSlotOffset_Values_MatchHostProtocolSection12()
    {
        AssertEnum(
            typeof(uint),
            (RootSlotOffset.ContractInstance, 0),
            (RootSlotOffset.Code, 1),
            (RootSlotOffset.LockedSlots, 2),
            (RootSlotOffset.Upgraders, 3));
    }

    private static void AssertEnum<TEnum>(Type underlying, params (TEnum Member, ulong Value)[] expected)
        where TEnum : struct, Enum
    {
        Assert.That(Enum.GetUnderlyingType(typeof(TEnum)), Is.EqualTo(underlying), "underlying type");
        Assert.That(Enum.GetValues<TEnum>(), Has.Length.EqualTo(expected.Length), "member count");
        foreach (var (member, value) in expected)
        {
            Assert.That(Convert.ToUInt64(member, CultureInfo.InvariantCulture), Is.EqualTo(value), member.ToString());
        }
    }
}
