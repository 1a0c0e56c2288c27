namespace FieldTheory.Generators.Tests.Infrastructure;

/// <summary>The declarations of the built-in models, read from models/FieldTheory.Models.</summary>
internal static class CatalogueSources
{
    /// <summary>Names of the model files (one [Network] each), ordered.</summary>
    public static IReadOnlyList<string> ModelNames { get; } = Directory
        .GetFiles(TestPaths.ModelsDirectory, "*.cs")
        .Where(p => File.ReadAllText(p).Contains("[Network(", StringComparison.Ordinal))
        .Select(p => Path.GetFileNameWithoutExtension(p))
        .Order(StringComparer.Ordinal)
        .ToArray();

    public static string Read(string modelName) => File.ReadAllText(Path.Combine(TestPaths.ModelsDirectory, modelName + ".cs"));

    public static string[] ReadAll() => ModelNames.Select(Read).ToArray();

    public static TheoryData<string> ModelNameData()
    {
        var data = new TheoryData<string>();
        foreach (string name in ModelNames)
        {
            data.Add(name);
        }

        return data;
    }
}
