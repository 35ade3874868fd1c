using GenVm.Host.Verbs;
using Microsoft.Extensions.DependencyInjection;

namespace GenVm.Tests.Host;

[TestFixture]
[NonParallelizable]
public sealed class CalldataVerbTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(string? stdin, params string[] args)
    {
        using var services = new ServiceCollection().AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).AddGenVmVerbs().BuildServiceProvider();
        var oldOut = Console.Out;
        var oldErr = Console.Error;
        var oldIn = Console.In;
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            Console.SetOut(output);
            Console.SetError(error);
            if (stdin is not null)
            {
                Console.SetIn(new StringReader(stdin));
            }

            var code = await VerbDispatcher.DispatchAsync(services, args, CancellationToken.None);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
            Console.SetIn(oldIn);
        }
    }

    [Test]
    public async Task Encode_MapText_PrintsLowercaseHex()
    {
        var (code, stdout, stderr) = await RunAsync(null, "calldata", "encode", "{\"b\":[1,2,3],\"a\":1}");
        Assert.That(code, Is.Zero);
        Assert.That(stdout, Is.EqualTo("1601610901621d091119" + Environment.NewLine));
        Assert.That(stderr, Is.Empty);
    }

    [Test]
    public async Task Decode_Hex_PrintsLosslessText()
    {
        var (code, stdout, _) = await RunAsync(null, "calldata", "decode", "0x16 01 61 09 01 62 1B 01 02 03");
        Assert.That(code, Is.Zero);
        Assert.That(stdout, Is.EqualTo("{\"a\":1,\"b\":b#010203}" + Environment.NewLine));
    }

    [Test]
    public async Task Decode_DashReadsStdin_PrintsText()
    {
        var (code, stdout, _) = await RunAsync("180101010101010101010101010101010101010101\n", "calldata", "decode", "-");
        Assert.That(code, Is.Zero);
        Assert.That(stdout, Is.EqualTo("addr#0101010101010101010101010101010101010101" + Environment.NewLine));
    }

    [Test]
    public async Task Encode_DashReadsStdin_PrintsHex()
    {
        var (code, stdout, _) = await RunAsync("[null, true]\n", "calldata", "encode", "-");
        Assert.That(code, Is.Zero);
        Assert.That(stdout, Is.EqualTo("150010" + Environment.NewLine));
    }

    [TestCase("decode", "16016200016100", "genvm calldata decode: invalid calldata map ordering old=`b` new=`a` (at offset 4)")]
    [TestCase("decode", "0", "genvm calldata decode: odd number of hex digits (1)")]
    [TestCase("decode", "zz", "genvm calldata decode: invalid hex digit 'z' at position 0")]
    [TestCase("encode", "[1,", "genvm calldata encode: unexpected end of input, expected a value at position 3")]
    public async Task BadInput_OneErrorLine_ExitsOne(string mode, string argument, string message)
    {
        var (code, stdout, stderr) = await RunAsync(null, "calldata", mode, argument);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Is.EqualTo(message + Environment.NewLine));
    }

    [Test]
    public async Task MissingArgument_PrintsUsage_ExitsTwo()
    {
        var (code, _, stderr) = await RunAsync(null, "calldata", "encode");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.StartWith("usage: genvm calldata"));
    }
}
