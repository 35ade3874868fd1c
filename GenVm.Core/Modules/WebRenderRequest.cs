using System.Globalization;
using GenVm.Core.Calldata;

namespace GenVm.Core.Modules;

/// <summary>A web <c>Render</c> request (modules.md §2.6).</summary>
/// <param name="Mode">Text, HTML or screenshot.</param>
/// <param name="Url">The page.</param>
/// <param name="WaitAfterLoaded">Extra wait after the page loaded; sent as <c>"&lt;n&gt;ms"</c>.</param>
public sealed record WebRenderRequest(RenderMode Mode, string Url, TimeSpan WaitAfterLoaded)
{
    /// <summary>The payload map <c>{"mode", "url", "wait_after_loaded": "&lt;n&gt;ms"}</c> (the executor always writes milliseconds).</summary>
    public CalldataMap ToCalldata()
        => CalldataValue.FromMap(
            ("mode", CalldataValue.FromString(Mode switch
            {
                RenderMode.Text => "text",
                RenderMode.Html => "html",
                RenderMode.Screenshot => "screenshot",
                _ => throw new InvalidOperationException($"unknown render mode {Mode}"),
            })),
            ("url", CalldataValue.FromString(Url)),
            ("wait_after_loaded", CalldataValue.FromString(((long)WaitAfterLoaded.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms")));
}
