using System.Reflection;
using System.Security.Cryptography;
using GenVm.Core.Protocol;

namespace GenVm.Tests.Core.Protocol;

/// <summary>
/// Every generated constants class against the values written in the spec (typed here by hand), plus a count so
/// an entry added to the JSON without a checked value is noticed.
/// </summary>
[TestFixture]
public sealed class ProtocolConstantTests
{
    [Test]
    public void SlotId_Values_MatchHostProtocolSection7_1()
    {
        AssertCount(typeof(SlotId), 5);
        Assert.That(SlotId.Root, Is.EqualTo(new string('0', 64)));
        Assert.That(SlotId.ContractInstance, Is.EqualTo("372d46c3ada9f897c74d349bbfe0e450c798167c9f580f8daf85def57e96c3ea"));
        Assert.That(SlotId.Code, Is.EqualTo("e1ae23412792df6b6a98fb7c9839701fb8b02b6fc7ed022810f78346494685e7"));
        Assert.That(SlotId.LockedSlots, Is.EqualTo("ba005630745acf3014aaf162e9933040302ca0bef3f56fe2d73c0a08f82c610b"));
        Assert.That(SlotId.Upgraders, Is.EqualTo("21b9e013f74608b92947861287b3de76c2c076fe839b7994761bd950cc2e7566"));
    }

    [TestCase(RootSlotOffset.ContractInstance, SlotId.ContractInstance)]
    [TestCase(RootSlotOffset.Code, SlotId.Code)]
    [TestCase(RootSlotOffset.LockedSlots, SlotId.LockedSlots)]
    [TestCase(RootSlotOffset.Upgraders, SlotId.Upgraders)]
    public void SlotId_RootChild_IsSha3OfRootAndOffset(RootSlotOffset offset, string expected)
    {
        if (!SHA3_256.IsSupported)
        {
            Assert.Ignore("SHA3-256 is not available on this platform");
        }

        // host-protocol.md §12: child = SHA3-256(parent_slot ‖ u32_le(offset)), root = 32 zero bytes.
        var input = new byte[36];
        BitConverter.TryWriteBytes(input.AsSpan(32), (uint)offset);
        Assert.That(Convert.ToHexStringLower(SHA3_256.HashData(input)), Is.EqualTo(expected));
    }

    [Test]
    public void WireSize_Values_MatchHostProtocolSection2()
    {
        AssertCount(typeof(WireSize), 5);
        Assert.That(WireSize.Address, Is.EqualTo(20u));
        Assert.That(WireSize.Slot, Is.EqualTo(32u));
        Assert.That(WireSize.U256, Is.EqualTo(32u));
        Assert.That(WireSize.EventTopic, Is.EqualTo(32u));
        Assert.That(WireSize.FdirentHeader, Is.EqualTo(24u));
    }

    [Test]
    public void MemoryLimiterCharge_Values_MatchWasmAbiSection12()
    {
        AssertCount(typeof(MemoryLimiterCharge), 4);
        Assert.That(MemoryLimiterCharge.TableEntry, Is.EqualTo(64u));
        Assert.That(MemoryLimiterCharge.FileMapping, Is.EqualTo(256u));
        Assert.That(MemoryLimiterCharge.FdAllocation, Is.EqualTo(96u));
        Assert.That(MemoryLimiterCharge.LockedSlot, Is.EqualTo(32u));
    }

    [Test]
    public void VmLimit_Values_MatchWasmAbiSections12And13()
    {
        AssertCount(typeof(VmLimit), 6);
        Assert.That(VmLimit.PoolUnits, Is.EqualTo(4_294_967_295u));
        Assert.That(VmLimit.MaxInstances, Is.EqualTo(1000u));
        Assert.That(VmLimit.MaxTables, Is.EqualTo(100u));
        Assert.That(VmLimit.MaxMemories, Is.EqualTo(100u));
        Assert.That(VmLimit.MaxCallDepth, Is.EqualTo(1024u));
        Assert.That(VmLimit.ValueStackBudget, Is.EqualTo(65535u));
    }

    [Test]
    public void AbiLimit_Values_MatchWasmAbiSections3And4()
    {
        AssertCount(typeof(AbiLimit), 4);
        Assert.That(AbiLimit.NoResultFd, Is.EqualTo(0xFFFFFFFFu));
        Assert.That(AbiLimit.EventMaxTopics, Is.EqualTo(4u));
        Assert.That(AbiLimit.MaxPromptImages, Is.EqualTo(2u));
        Assert.That(AbiLimit.MaxExitCode, Is.EqualTo(125u));
    }

    [Test]
    public void WasiFd_Values_MatchWasmAbiSection9_1()
    {
        AssertCount(typeof(WasiFd), 5);
        Assert.That(WasiFd.Message, Is.EqualTo(0u));
        Assert.That(WasiFd.Stdout, Is.EqualTo(1u));
        Assert.That(WasiFd.Stderr, Is.EqualTo(2u));
        Assert.That(WasiFd.RootDirectory, Is.EqualTo(3u));
        Assert.That(WasiFd.FirstAllocated, Is.EqualTo(4u));
    }

    [Test]
    public void WasiRights_Values_MatchWasmAbiSection9_3()
    {
        AssertCount(typeof(WasiRights), 3);
        Assert.That(WasiRights.Stdio, Is.EqualTo(0x40ul));
        Assert.That(WasiRights.RegularFile, Is.EqualTo(0x24e0b7ul));
        Assert.That(WasiRights.Directory, Is.EqualTo(0x24e002ul));
    }

    [Test]
    public void DetRngSeed_Values_AreGenLayerAsLittleEndianWords()
    {
        AssertCount(typeof(DetRngSeed), 2);
        Assert.That(DetRngSeed.Word0, Is.EqualTo(0x4c6e6547u));
        Assert.That(DetRngSeed.Word1, Is.EqualTo(0x72657961u));

        // wasm-abi.md §9.3: the ASCII text "GenLayer" read as two little-endian u32 words.
        Assert.That(BitConverter.ToUInt32("GenL"u8), Is.EqualTo(DetRngSeed.Word0));
        Assert.That(BitConverter.ToUInt32("ayer"u8), Is.EqualTo(DetRngSeed.Word1));
    }

    [Test]
    public void Permission_Values_MatchHostProtocolSection1_1()
    {
        AssertCount(typeof(Permission), 6);
        Assert.That(
            new[] { Permission.Read, Permission.Write, Permission.Send, Permission.Call, Permission.Nondet },
            Is.EqualTo(new[] { "r", "w", "s", "c", "n" }));
        Assert.That(Permission.Default, Is.EqualTo("rwscn"));
    }

    [Test]
    public void GlCallRequest_Values_MatchWasmAbiSection4()
    {
        AssertCount(typeof(GlCallRequest), 15);
        Assert.That(
            new[]
            {
                GlCallRequest.EthSend, GlCallRequest.EthCall, GlCallRequest.CallContract, GlCallRequest.PostMessage,
                GlCallRequest.DeployContract, GlCallRequest.EmitEvent, GlCallRequest.RunNondet, GlCallRequest.Sandbox,
                GlCallRequest.WebRender, GlCallRequest.WebRequest, GlCallRequest.ExecPrompt,
                GlCallRequest.ExecPromptTemplate, GlCallRequest.Rollback, GlCallRequest.Return, GlCallRequest.Trace,
            },
            Is.EqualTo(new[]
            {
                "EthSend", "EthCall", "CallContract", "PostMessage", "DeployContract", "EmitEvent", "RunNondet",
                "Sandbox", "WebRender", "WebRequest", "ExecPrompt", "ExecPromptTemplate", "Rollback", "Return", "Trace",
            }));
        AssertCount(typeof(TraceKind), 2);
        Assert.That(TraceKind.Message, Is.EqualTo("Message"));
        Assert.That(TraceKind.RuntimeMicroSec, Is.EqualTo("RuntimeMicroSec"));
    }

    [Test]
    public void RequestFieldValues_MatchWasmAbiSection4()
    {
        AssertCount(typeof(MessageOn), 2);
        Assert.That(MessageOn.Finalized, Is.EqualTo("finalized"));
        Assert.That(MessageOn.Accepted, Is.EqualTo("accepted"));
        AssertCount(typeof(WebRenderMode), 3);
        Assert.That(new[] { WebRenderMode.Text, WebRenderMode.Html, WebRenderMode.Screenshot }, Is.EqualTo(new[] { "text", "html", "screenshot" }));
        AssertCount(typeof(WebRequestMethod), 6);
        Assert.That(
            new[] { WebRequestMethod.Get, WebRequestMethod.Post, WebRequestMethod.Head, WebRequestMethod.Delete, WebRequestMethod.Options, WebRequestMethod.Patch },
            Is.EqualTo(new[] { "GET", "POST", "HEAD", "DELETE", "OPTIONS", "PATCH" }));
        AssertCount(typeof(ResponseFormat), 2);
        Assert.That(ResponseFormat.Text, Is.EqualTo("text"));
        Assert.That(ResponseFormat.Json, Is.EqualTo("json"));
        AssertCount(typeof(PromptTemplate), 3);
        Assert.That(
            new[] { PromptTemplate.EqComparative, PromptTemplate.EqNonComparativeLeader, PromptTemplate.EqNonComparativeValidator },
            Is.EqualTo(new[] { "EqComparative", "EqNonComparativeLeader", "EqNonComparativeValidator" }));
        AssertCount(typeof(AnswerKey), 2);
        Assert.That(AnswerKey.Ok, Is.EqualTo("ok"));
        Assert.That(AnswerKey.Error, Is.EqualTo("error"));
    }

    [Test]
    public void ModuleVariants_Values_MatchHostProtocolSection11()
    {
        AssertCount(typeof(ModuleRequest), 5);
        Assert.That(
            new[] { ModuleRequest.Prompt, ModuleRequest.PromptTemplate, ModuleRequest.Render, ModuleRequest.Request, ModuleRequest.GetStats },
            Is.EqualTo(new[] { "Prompt", "PromptTemplate", "Render", "Request", "GetStats" }));
        AssertCount(typeof(ModuleReply), 3);
        Assert.That(new[] { ModuleReply.Ok, ModuleReply.UserError, ModuleReply.FatalError }, Is.EqualTo(new[] { "Ok", "UserError", "FatalError" }));
    }

    [Test]
    public void MessageKey_Values_MatchWasmAbiSection6()
    {
        AssertCount(typeof(MessageKey), 12);
        Assert.That(
            new[]
            {
                MessageKey.ChainId, MessageKey.ContractAddress, MessageKey.Datetime, MessageKey.EntryData,
                MessageKey.EntryKind, MessageKey.EntryStageData, MessageKey.IsInit, MessageKey.OriginAddress,
                MessageKey.SenderAddress, MessageKey.Stack, MessageKey.Value,
            },
            Is.EqualTo(new[]
            {
                "chain_id", "contract_address", "datetime", "entry_data", "entry_kind", "entry_stage_data", "is_init",
                "origin_address", "sender_address", "stack", "value",
            }));
        Assert.That(MessageKey.LeadersResult, Is.EqualTo("leaders_result"));
        AssertCount(typeof(MessageDefault), 1);
        Assert.That(MessageDefault.Datetime, Is.EqualTo("2024-11-26T06:42:42.424242Z"));
    }

    [Test]
    public void VmErrorText_Values_MatchWasmAbiSection14()
    {
        AssertCount(typeof(VmErrorText), 10);
        Assert.That(VmErrorText.ExitCode, Is.EqualTo("exit_code"));
        Assert.That(VmErrorText.WasmTrap, Is.EqualTo("wasm_trap"));
        Assert.That(VmErrorText.Timeout, Is.EqualTo("timeout"));
        Assert.That(VmErrorText.Oom, Is.EqualTo("OOM"));
        Assert.That(VmErrorText.InvalidContract, Is.EqualTo("invalid_contract"));
        Assert.That(VmErrorText.InvalidContractAbsentRunnerComment, Is.EqualTo("invalid_contract absent_runner_comment"));
        Assert.That(VmErrorText.InvalidContractNotUtf8Text, Is.EqualTo("invalid_contract not_utf8_text"));
        Assert.That(VmErrorText.InvalidContractWasm, Is.EqualTo("invalid_contract wasm"));
        Assert.That(VmErrorText.VersionTooBig, Is.EqualTo("version_too_big"));
        Assert.That(VmErrorText.ValidatorDisagrees, Is.EqualTo("validator_disagrees"));
    }

    [Test]
    public void TrapName_Values_MatchWasmAbiSection14()
    {
        AssertCount(typeof(TrapName), 12);
        Assert.That(
            new[]
            {
                TrapName.UnreachableCodeReached, TrapName.StackOverflow, TrapName.MemoryOutOfBounds, TrapName.HeapMisaligned,
                TrapName.TableOutOfBounds, TrapName.IndirectCallToNull, TrapName.BadSignature, TrapName.IntegerOverflow,
                TrapName.IntegerDivisionByZero, TrapName.BadConversionToInteger, TrapName.Interrupt, TrapName.DeterministicMode,
            },
            Is.EqualTo(new[]
            {
                "UnreachableCodeReached", "StackOverflow", "MemoryOutOfBounds", "HeapMisaligned", "TableOutOfBounds",
                "IndirectCallToNull", "BadSignature", "IntegerOverflow", "IntegerDivisionByZero", "BadConversionToInteger",
                "Interrupt", "DeterministicMode",
            }));
    }

    [Test]
    public void DispatchNames_Values_MatchPythonSdkSection6_1()
    {
        AssertCount(typeof(SpecialMethod), 3);
        Assert.That(SpecialMethod.GetSchema, Is.EqualTo("#get-schema"));
        Assert.That(SpecialMethod.ErroredMessage, Is.EqualTo("#error"));
        Assert.That(SpecialMethod.Fallback, Is.Empty);
        AssertCount(typeof(ContractHook), 5);
        Assert.That(ContractHook.Init, Is.EqualTo("__init__"));
        Assert.That(ContractHook.Receive, Is.EqualTo("__receive__"));
        Assert.That(ContractHook.HandleUndefinedMethod, Is.EqualTo("__handle_undefined_method__"));
        Assert.That(ContractHook.OnErroredMessage, Is.EqualTo("__on_errored_message__"));
        Assert.That(ContractHook.GetSchema, Is.EqualTo("__get_schema__"));
        AssertCount(typeof(EntryCalldataKey), 3);
        Assert.That(new[] { EntryCalldataKey.Method, EntryCalldataKey.Args, EntryCalldataKey.Kwargs }, Is.EqualTo(new[] { "method", "args", "kwargs" }));
    }

    [Test]
    public void AbiVersion_Values_MatchWasmAbiSection15()
    {
        AssertCount(typeof(AbiVersion), 4);
        Assert.That(AbiVersion.Absent, Is.EqualTo("v0.1.0"));
        Assert.That(AbiVersion.EmitEventMinimum, Is.EqualTo("v0.1.5"));
        Assert.That(AbiVersion.TraceMinimum, Is.EqualTo("v0.1.10"));
        Assert.That(AbiVersion.Maximum, Is.EqualTo("v0.1.10"));
    }

    [Test]
    public void WasmName_Values_MatchWasmAbiSections1To3()
    {
        AssertCount(typeof(WasmName), 7);
        Assert.That(WasmName.GenlayerSdkModule, Is.EqualTo("genlayer_sdk"));
        Assert.That(WasmName.WasiModule, Is.EqualTo("wasi_snapshot_preview1"));
        Assert.That(WasmName.EntryExport, Is.Empty);
        Assert.That(WasmName.StartExport, Is.EqualTo("_start"));
        Assert.That(WasmName.InitializeExport, Is.EqualTo("_initialize"));
        Assert.That(WasmName.MemoryExport, Is.EqualTo("memory"));
        Assert.That(WasmName.VersionSection, Is.EqualTo("genvm.version"));
        AssertCount(typeof(SdkImport), 5);
        Assert.That(
            new[] { SdkImport.StorageRead, SdkImport.StorageWrite, SdkImport.GetBalance, SdkImport.GetSelfBalance, SdkImport.GlCall },
            Is.EqualTo(new[] { "storage_read", "storage_write", "get_balance", "get_self_balance", "gl_call" }));
    }

    [Test]
    public void RunnerNames_Values_MatchRunnersSections4And5()
    {
        AssertCount(typeof(RunnerAction), 9);
        Assert.That(
            new[]
            {
                RunnerAction.MapFile, RunnerAction.AddEnv, RunnerAction.SetArgs, RunnerAction.LinkWasm, RunnerAction.StartWasm,
                RunnerAction.Depends, RunnerAction.With, RunnerAction.When, RunnerAction.Seq,
            },
            Is.EqualTo(new[] { "MapFile", "AddEnv", "SetArgs", "LinkWasm", "StartWasm", "Depends", "With", "When", "Seq" }));
        AssertCount(typeof(RunnerName), 11);
        Assert.That(RunnerName.RunnerJson, Is.EqualTo("runner.json"));
        Assert.That(RunnerName.VersionMember, Is.EqualTo("version"));
        Assert.That(RunnerName.ContractFile, Is.EqualTo("file"));
        Assert.That(RunnerName.ContractRunnerId, Is.EqualTo("<contract>"));
        Assert.That(RunnerName.WhenDet, Is.EqualTo("det"));
        Assert.That(RunnerName.WhenNondet, Is.EqualTo("nondet"));
        Assert.That(RunnerName.AllJson, Is.EqualTo("all.json"));
        Assert.That(RunnerName.LatestJson, Is.EqualTo("latest.json"));
        Assert.That(RunnerName.TestHash, Is.EqualTo("test"));
        Assert.That(RunnerName.LatestHash, Is.EqualTo("latest"));
        Assert.That(RunnerName.Nix32Alphabet, Is.EqualTo("0123456789abcdfghijklmnpqrsvwxyz"));
    }

    private static void AssertCount(Type type, int expected)
    {
        var constants = type.GetFields(BindingFlags.Public | BindingFlags.Static).Count(f => f.IsLiteral);
        Assert.That(constants, Is.EqualTo(expected), $"number of constants in {type.Name}");
    }
}
