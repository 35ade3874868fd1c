using System.Diagnostics;
using System.Numerics;
using GenVm.Core.Calldata;

namespace GenVm.Bench.Calldata;

/// <summary>
/// <c>GenVm.Bench calldata</c>: encode (fresh array, and into a reused writer) / decode / validate throughput (MB/s, 10^6 octets per second of encoded size)
/// for a 1 MiB mixed payload and for a message of 10,000 small maps. Plain Stopwatch harness: warm-up, then
/// several timed rounds; the best round is reported with the median next to it. Runs in well under 30 s.
/// </summary>
internal static class CalldataBench
{
    public static int Run()
    {
        Console.WriteLine($"calldata codec throughput (.NET {Environment.Version}, {Environment.ProcessorCount} cores)");
        Measure("mixed 1 MiB", BuildMixedPayload(1 << 20));
        Measure("10,000 small maps", BuildSmallMaps(10_000));
        return 0;
    }

    private static void Measure(string name, CalldataValue value)
    {
        var encoded = CalldataCodec.Encode(value);
        if (!CalldataCodec.Decode(encoded).Equals(value))
        {
            throw new InvalidOperationException("round trip failed");
        }

        Console.WriteLine($"{name}: {encoded.Length:N0} octets");
        Report("  encode  ", encoded.Length, () => CalldataCodec.Encode(value));

        // The encoder alone: a reused writer, no result array (a 1 MiB byte[] per call lands on the large object heap).
        var writer = new CalldataWriter(encoded.Length);
        Report("  encode/w", encoded.Length, () =>
        {
            writer.Reset();
            writer.WriteValue(value);
        });
        Report("  decode  ", encoded.Length, () => CalldataCodec.Decode(encoded));
        Report("  validate", encoded.Length, () => CalldataCodec.Validate(encoded));
    }

    private static void Report(string label, int size, Action action)
    {
        // Warm-up (tiering), then time rounds of enough iterations to last ~150 ms each.
        for (var i = 0; i < 5; i++)
        {
            action();
        }

        var probe = Stopwatch.StartNew();
        action();
        var perRound = Math.Max(1, (int)(0.15 / Math.Max(probe.Elapsed.TotalSeconds, 1e-6)));
        var wallRates = new List<double>();
        var cpuRates = new List<double>();
        long allocated = 0;
        using var process = Process.GetCurrentProcess();
        for (var round = 0; round < 7; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < perRound; i++)
            {
                action();
            }

            sw.Stop();
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / perRound;
            wallRates.Add((double)size * perRound / sw.Elapsed.TotalSeconds / 1e6);
            cpuRates.Add((double)size * perRound / Math.Max(cpu, 1e-3) / 1e6);
        }

        wallRates.Sort();
        cpuRates.Sort();

        // On a shared machine the wall-clock rate includes time spent waiting for a core; the CPU-time rate
        // (octets per second of process CPU time, GC threads included) is the steadier figure.
        Console.WriteLine(
            $"{label}: {wallRates[^1],8:F1} MB/s best, {wallRates[wallRates.Count / 2],8:F1} MB/s median (wall); "
            + $"{cpuRates[cpuRates.Count / 2],8:F1} MB/s per CPU-second (median); {allocated / 1024.0,8:F1} KiB allocated/op");
    }

    // A realistic mix: records with strings, bytes, small and 256-bit numbers, addresses, nested arrays.
    private static CalldataValue BuildMixedPayload(int targetSize)
    {
        var random = new Random(12345);
        var items = new List<CalldataValue>();
        var size = 0;
        while (size < targetSize)
        {
            var blob = new byte[random.Next(16, 512)];
            random.NextBytes(blob);
            var address = new byte[20];
            random.NextBytes(address);
            var big = new BigInteger(blob.AsSpan(0, 16), isUnsigned: true);
            var record = CalldataValue.FromMap(
                ("id", random.Next()),
                ("name", "validator-" + random.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("text", new string('a', random.Next(8, 200)) + " \u00e9\u20ac"),
                ("blob", blob),
                ("balance", big),
                ("negative", -random.NextInt64()),
                ("owner", new Address(address)),
                ("flags", CalldataValue.FromArray(true, false, CalldataValue.Null, random.Next(100))),
                ("nested", CalldataValue.FromMap(("x", random.Next(1000)), ("y", "inner"))));
            size += CalldataCodec.Encode(record).Length;
            items.Add(record);
        }

        return CalldataValue.FromArray(items);
    }

    private static CalldataValue BuildSmallMaps(int count)
    {
        var items = new CalldataValue[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = CalldataValue.FromMap(("method", "transfer"), ("amount", i), ("ok", (i & 1) == 0));
        }

        return CalldataValue.FromMap(("calls", CalldataValue.FromArray(items)), ("kind", "batch"));
    }
}
