using System.Reflection;

namespace FieldTheory;

/// <summary>Which build of FieldTheoryCompiler is running: the version and the git commit it was built from.</summary>
public static class BuildInfo
{
    /// <summary>The informational version, <c>0.1.0+&lt;commit&gt;</c> when built from a git checkout.</summary>
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(BuildInfo).Assembly.GetName().Version?.ToString(3)
        ?? "unknown";
}
