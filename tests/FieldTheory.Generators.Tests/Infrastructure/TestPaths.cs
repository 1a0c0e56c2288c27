using System.Runtime.CompilerServices;

namespace FieldTheory.Generators.Tests.Infrastructure;

/// <summary>Folders of the repository, found from this source file's path (tests run from bin/, not the source tree).</summary>
internal static class TestPaths
{
    /// <summary>The test project's source folder.</summary>
    public static string ProjectDirectory { get; } = Path.GetDirectoryName(Path.GetDirectoryName(ThisFile()))!;

    public static string ModelsDirectory => Path.GetFullPath(Path.Combine(ProjectDirectory, "..", "..", "models", "FieldTheory.Models"));

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
