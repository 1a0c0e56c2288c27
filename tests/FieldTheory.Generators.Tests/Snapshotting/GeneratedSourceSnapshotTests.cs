using FieldTheory.Generators.Emitting;
using FieldTheory.Generators.Tests.Infrastructure;

namespace FieldTheory.Generators.Tests.Snapshotting;

/// <summary>Golden snapshots of the generated source of the built-in models and of the model registry.</summary>
public sealed class GeneratedSourceSnapshotTests
{
    public static TheoryData<string> ModelNames => CatalogueSources.ModelNameData();

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Generated_model_source_matches_snapshot(string modelName)
    {
        GeneratorRun run = GeneratorHarness.Run(CatalogueSources.Read(modelName));

        run.AssertCompiles();
        Assert.Empty(run.GeneratorDiagnostics);
        Snapshot.Verify(run.ModelSource("FieldTheory.Models." + modelName), modelName);
    }

    [Fact]
    public void Registry_source_matches_snapshot()
    {
        GeneratorRun run = GeneratorHarness.Run(CatalogueSources.ReadAll());

        run.AssertCompiles();
        Snapshot.Verify(run.Sources[RegistryEmitter.HintName], "NetworkModelRegistry");
    }

    [Fact]
    public void The_catalogue_has_at_least_eight_models()
    {
        Assert.True(CatalogueSources.ModelNames.Count >= 8, "Models found: " + string.Join(", ", CatalogueSources.ModelNames));
    }

    [Fact]
    public void Generated_source_does_not_depend_on_the_current_culture()
    {
        string source = CatalogueSources.Read("Cubic");
        System.Globalization.CultureInfo original = System.Globalization.CultureInfo.CurrentCulture;
        string invariant;
        string other;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
            invariant = GeneratorHarness.Run(source).ModelSource("FieldTheory.Models.Cubic");
            System.Globalization.CultureInfo.CurrentCulture = CommaDecimalsAndUnicodeMinus();
            other = GeneratorHarness.Run(source).ModelSource("FieldTheory.Models.Cubic");
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = original;
        }

        Assert.Equal(invariant, other);
    }

    [Fact]
    public void Generation_is_deterministic_across_runs()
    {
        string[] sources = CatalogueSources.ReadAll();

        IReadOnlyDictionary<string, string> first = GeneratorHarness.Run(sources).Sources;
        IReadOnlyDictionary<string, string> second = GeneratorHarness.Run(sources.Reverse().ToArray()).Sources;

        Assert.Equal(first.OrderBy(p => p.Key, StringComparer.Ordinal), second.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    // Globalization-invariant mode allows no named cultures, so the hostile culture is built by hand.
    private static System.Globalization.CultureInfo CommaDecimalsAndUnicodeMinus()
    {
        var culture = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NumberDecimalSeparator = ",";
        culture.NumberFormat.NegativeSign = "\u2212";
        return culture;
    }
}
