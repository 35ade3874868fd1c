using System.Globalization;
using System.Text.Json.Nodes;

namespace GenVm.Host.Manager;

/// <summary>
/// The manager's YAML config (manager.md §2, <c>genvm-manager.yaml</c>): the path and every string are templated
/// (config.md §1); <c>manifest_path</c>, <c>permits</c>, <c>log_level</c> and the base keys <c>threads</c>,
/// <c>blocking_threads</c>, <c>log_disable</c> (config.md §2, <see cref="Configuration.BaseRuntimeKeys"/>) are applied,
/// our own keys too; unknown keys are ignored.
/// </summary>
internal static class ManagerConfigFile
{
    /// <summary>Applies the file at <paramref name="path"/> to <paramref name="options"/>.</summary>
    /// <exception cref="ManagerException">Unreadable or malformed file.</exception>
    public static void Apply(string path, ManagerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        JsonNode root;
        try
        {
            root = YamlJson.Load(File.ReadAllText(path), options.BuiltInVersion, templateKeys: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException or FormatException)
        {
            throw new ManagerException($"Failed to load config {path}: {e.Message}");
        }

        if (root is not JsonObject config)
        {
            throw new ManagerException($"Failed to load config {path}: not a mapping");
        }

        string? Text(string key) => config[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (Text("manifest_path") is { } manifest)
        {
            options.ManifestPath = manifest;
        }

        if (config.ContainsKey("permits"))
        {
            var permits = Text("permits");
            options.Permits = permits is null ? null
                : int.TryParse(permits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                : throw new ManagerException($"Failed to load config {path}: invalid permits `{permits}`");
        }

        try
        {
            var keys = Configuration.BaseRuntimeKeys.Read(Text);
            options.Threads = keys.Threads ?? options.Threads;
            options.BlockingThreads = keys.BlockingThreads ?? options.BlockingThreads;
            options.LogDisable = Text("log_disable") ?? options.LogDisable;
        }
        catch (FormatException e)
        {
            throw new ManagerException($"Failed to load config {path}: {e.Message}");
        }

        if (Text("log_level") is { } level)
        {
            options.LogLevel = level;
        }

        if (Text("execution_mode") is { } mode)
        {
            options.ExecutionMode = Enum.TryParse<ExecutionMode>(mode, ignoreCase: true, out var m) ? m
                : throw new ManagerException($"Failed to load config {path}: invalid execution_mode `{mode}`");
        }

        if (Text("root") is { } root2)
        {
            options.Root = root2;
        }

        if (Text("builtin_version") is { } builtIn)
        {
            options.BuiltInVersion = builtIn;
        }
    }
}
