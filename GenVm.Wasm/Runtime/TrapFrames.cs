using System.Diagnostics;
using GenVm.Wasm.Compilation;

namespace GenVm.Wasm.Runtime;

/// <summary>
/// Builds wasm backtraces from the .NET stack trace of a trap (no cost on the hot path: compiled methods are
/// mapped back to wasm functions only when a trap reaches the host boundary).
/// </summary>
internal static class TrapFrames
{
    /// <summary>The wasm frames of <paramref name="exception"/>'s stack trace, innermost first.</summary>
    public static IReadOnlyList<WasmFrame> Capture(Exception exception)
    {
        var frames = new List<WasmFrame>();
        WasmFrame? inPiece = null;
        foreach (var frame in new StackTrace(exception, false).GetFrames())
        {
            if (frame.GetMethod() is not { } method || CompiledModule.TryDescribe(method, frame.GetILOffset(), out var isPiece) is not { } wasmFrame)
            {
                continue;
            }

            // An outlined piece is part of its function's frame: the piece where execution was is that wasm frame;
            // the pieces and the function method calling it are skipped, up to and including the function method.
            if (inPiece is not null && inPiece.FunctionIndex == wasmFrame.FunctionIndex && inPiece.ModuleName == wasmFrame.ModuleName)
            {
                if (!isPiece)
                {
                    inPiece = null;
                }

                continue;
            }

            frames.Add(wasmFrame);
            inPiece = isPiece ? wasmFrame : null;
        }

        return frames;
    }

    /// <summary>
    /// A .NET exception raised by compiled code itself (not by a host callback) translated to its trap; null when
    /// the exception did not come from compiled code and must propagate unchanged.
    /// </summary>
    public static WasmTrapException? Translate(Exception exception)
    {
        if (exception is InsufficientExecutionStackException)
        {
            return new WasmTrapException(TrapCode.StackOverflow, Capture(exception), exception);
        }

        if (exception.TargetSite is not { } site || CompiledModule.TryDescribe(site) is null)
        {
            return null;
        }

        TrapCode? code = exception switch
        {
            DivideByZeroException => TrapCode.IntegerDivisionByZero,
            OverflowException or ArithmeticException => TrapCode.IntegerOverflow,
            NullReferenceException => TrapCode.NullReference,
            IndexOutOfRangeException => TrapCode.TableOutOfBounds,
            InvalidCastException => TrapCode.BadSignature,
            _ => null,
        };
        return code is TrapCode c ? new WasmTrapException(c, Capture(exception), exception) : null;
    }
}
