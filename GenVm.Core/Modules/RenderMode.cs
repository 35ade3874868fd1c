namespace GenVm.Core.Modules;

/// <summary><c>mode</c> of a web <c>Render</c> request (modules.md §2.6).</summary>
public enum RenderMode
{
    /// <summary><c>"text"</c>: answer <c>{"text": Str}</c>.</summary>
    Text,

    /// <summary><c>"html"</c>: answer <c>{"text": Str}</c>.</summary>
    Html,

    /// <summary><c>"screenshot"</c>: answer <c>{"image": Bytes}</c> (PNG).</summary>
    Screenshot,
}
