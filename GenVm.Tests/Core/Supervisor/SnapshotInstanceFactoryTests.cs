using GenVm.Core.Pool;
using GenVm.Host.Verbs;
using GenVm.Tests.Examples;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace GenVm.Tests.Core.Supervisor;

/// <summary>
/// <see cref="GenVm.Core.Supervisor.SnapshotInstanceFactory"/> with our packed CPython runner: corpus contracts run
/// through <c>genvm exec</c> (in this process) once on a pool that boots every VM and once on a pool that restores
/// every VM after the first from a snapshot; everything printed (results, prints, messages, events, storage changes)
/// and the final state must be the same (docs/decisions.md "Python snapshots").
/// </summary>
[TestFixture]
[Category("Toolchain")]
public sealed class SnapshotInstanceFactoryTests
{
    // Calls in order per contract; each scenario gets a fresh state file on each pool.
    private static readonly (string Contract, string[][] Calls)[] Scenarios =
    [
        ("storage_types.py", [["--deploy"], ["--method", "dump"], ["--method", "overflow"]]),
        ("errors.py", [["--deploy"], ["--method", "user_error"], ["--method", "immediate"], ["--method", "exit_code", "--args", "[3]"], ["--method", "crash"], ["--method", "ret"]]),
        ("treemap.py", [["--deploy"], ["--method", "put", "--args", "[[5, 3, 8, 1, 4, 7, 9, 2, 6]]"], ["--method", "remove", "--args", "[[3, 8]]"], ["--method", "show"]]),
        ("dynarray.py", [["--deploy"], ["--method", "grow", "--args", "[5]"], ["--method", "edit"], ["--method", "show"]]),
        ("events_new.py", [["--deploy"]]),
        ("sandbox.py", [["--deploy"], ["--method", "det"]]),
        ("snapshot_probe.py", [["--deploy"], ["--method", "probe"], ["--method", "probe"]]),
    ];

    [Test]
    public async Task Exec_CorpusContracts_RestoredVmsPrintAndStoreWhatBootedVmsDo()
    {
        using var booted = Pool(snapshots: false);
        using var restored = Pool(snapshots: true);
        foreach (var (contract, calls) in Scenarios)
        {
            var (bootOut, bootState) = await RunAsync(booted, contract, calls);
            var (restoreOut, restoreState) = await RunAsync(restored, contract, calls);
            Assert.That(restoreOut, Is.EqualTo(bootOut), contract);
            Assert.That(restoreState, Is.EqualTo(bootState), contract);
        }

        Assert.That(booted.Snapshots, Is.Null);
        var factory = restored.Snapshots!;
        Assert.That(factory.Refusals, Is.Empty);
        Assert.That(factory.Captures, Is.EqualTo(1));
        Assert.That(factory.Restores, Is.GreaterThanOrEqualTo(Scenarios.Sum(s => s.Calls.Length) - 1));
    }

    [Test]
    public async Task Exec_TwoProbesOnOneSnapshot_SecondSeesNoStateOfTheFirst()
    {
        using var restored = Pool(snapshots: true);
        var (output, _) = await RunAsync(restored, "snapshot_probe.py", [["--deploy"], ["--method", "probe"], ["--method", "probe"], ["--method", "probe"]]);
        var probes = output.Split('\n').Where(line => line.StartsWith('{')).ToArray();
        Assert.That(probes, Has.Length.EqualTo(3));

        // Module globals, module dicts and the random stream start over in every execution.
        Assert.That(probes[0], Does.Contain("\"calls\": 1, \"leak\": 1, \"storage_list\": 1,"));
        Assert.That(probes[1], Is.EqualTo(probes[0]));
        Assert.That(probes[2], Is.EqualTo(probes[0]));
        Assert.That(restored.Snapshots!.Restores, Is.GreaterThanOrEqualTo(3));
    }

    [Test]
    public async Task Exec_DetHashOrder_RestoredEqualsBooted()
    {
        using var booted = Pool(snapshots: false);
        using var restored = Pool(snapshots: true);
        string[][] calls = [["--deploy"], ["--method", "probe"]];
        var (bootOut, _) = await RunAsync(booted, "snapshot_probe.py", calls);
        var (restoreOut, _) = await RunAsync(restored, "snapshot_probe.py", calls);
        var boot = bootOut.Split('\n').Single(line => line.StartsWith('{'));
        var restore = restoreOut.Split('\n').Single(line => line.StartsWith('{'));

        // python-sdk.md: det hash(str) is SipHash keyed from the MT19937 stream; set and dict orders follow from it.
        Assert.That(Field(restore, "set_order"), Is.EqualTo(Field(boot, "set_order")));
        Assert.That(Field(restore, "hashes"), Is.EqualTo(Field(boot, "hashes")));
        Assert.That(Field(restore, "random"), Is.EqualTo(Field(boot, "random")));
        Assert.That(restore, Is.EqualTo(boot));
        Assert.That(restored.Snapshots!.Restores, Is.EqualTo(1));
    }

    [Test]
    public async Task Exec_SnapshotFile_FreshPoolRestoresWhatBootedVmsDoAndIgnoresADamagedFile()
    {
        var folder = Directory.CreateTempSubdirectory("genvm-snapfile-").FullName;
        try
        {
            string[][] calls = [["--deploy"], ["--method", "probe"], ["--method", "probe"]];
            using var booted = Pool(snapshots: false);
            var (bootOut, bootState) = await RunAsync(booted, "snapshot_probe.py", calls);

            // A "process" that captures its first boot and writes the file, then fresh ones that read it.
            using (var writer = Pool(snapshots: true, folder))
            {
                await RunAsync(writer, "snapshot_probe.py", [["--deploy"]]);
                Assert.That(writer.Snapshots!.Captures, Is.EqualTo(1));
            }

            var file = Directory.GetFiles(folder, "*" + GenVm.Wasm.Snapshots.SnapshotFile.Extension).Single();
            using (var reader = Pool(snapshots: true, folder))
            {
                var (output, state) = await RunAsync(reader, "snapshot_probe.py", calls);
                Assert.That(output, Is.EqualTo(bootOut));
                Assert.That(state, Is.EqualTo(bootState));
                Assert.That(reader.Snapshots!.Captures, Is.Zero, "restored from the file");
                Assert.That(reader.Snapshots.Restores, Is.EqualTo(calls.Length));
            }

            // One byte of the memory image flipped: the file is refused and deleted, the VM boots, then is captured anew.
            var bytes = await File.ReadAllBytesAsync(file);
            bytes[bytes.Length / 2] ^= 0x20;
            await File.WriteAllBytesAsync(file, bytes);
            using (var damaged = Pool(snapshots: true, folder))
            {
                var (output, state) = await RunAsync(damaged, "snapshot_probe.py", calls);
                Assert.That(output, Is.EqualTo(bootOut));
                Assert.That(state, Is.EqualTo(bootState));
                Assert.That(damaged.Snapshots!.Boots, Is.EqualTo(1));
                Assert.That(damaged.Snapshots.Captures, Is.EqualTo(1));
            }

            Assert.That(await File.ReadAllBytesAsync(file), Is.Not.EqualTo(bytes), "the damaged file was replaced");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Field(string json, string name) =>
        System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty(name).GetRawText();

    private static ExecutionPool Pool(bool snapshots, string? snapshotDirectory = null) => SnapshotPools.Pool(snapshots, snapshotDirectory);

    private static Task<(string Output, string State)> RunAsync(ExecutionPool pool, string contract, string[][] calls) =>
        SnapshotPools.RunAsync(pool, CorpusExec.Contract(contract), calls);
}
