using System.Text;
using GenVm.Host.Verbs;

namespace GenVm.Tests.Host;

/// <summary>Runs <c>genvm wasm ...</c> in-process with captured standard streams.</summary>
internal static class WasmVerbHarness
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var verb = new WasmVerb(() => new MemoryStream(), () => new NonClosingStream(stdout), () => new NonClosingStream(stderr));
        var code = await verb.RunAsync(args, CancellationToken.None);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    /// <summary>Keeps the captured bytes readable after the verb disposes its stream.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}
