namespace GenVm.Modules.Web;

/// <summary>
/// What the render service answers (modules.md §4.4 step 5): the page's status (the <c>Resulting-Status</c> header)
/// and the content (text or html as UTF-8, or PNG bytes).
/// </summary>
/// <param name="Status">Main document HTTP status, or 408/502/503/495/418 for navigation failures.</param>
/// <param name="Body">Content, or the short failure message.</param>
internal sealed record RenderResult(int Status, byte[] Body);
