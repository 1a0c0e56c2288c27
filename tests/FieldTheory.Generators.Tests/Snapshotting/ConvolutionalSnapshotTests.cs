using FieldTheory.Generators.Tests.Infrastructure;

namespace FieldTheory.Generators.Tests.Snapshotting;

/// <summary>Golden snapshots of the architecture emitted for the catalogue's convolutional networks.</summary>
public sealed class ConvolutionalSnapshotTests
{
    [Theory]
    [InlineData("FashionCnn")]
    [InlineData("CifarCnn")]
    public void Generated_architecture_matches_snapshot(string modelName)
    {
        GeneratorRun run = GeneratorHarness.Run(File.ReadAllText(Path.Combine(TestPaths.ModelsDirectory, modelName + ".cs")));

        run.AssertCompiles();
        Assert.Empty(run.GeneratorDiagnostics);
        string hint = Assert.Single(run.Sources.Keys, k => k.StartsWith("FieldTheory.Models." + modelName + ".", StringComparison.Ordinal) && k.EndsWith(".Convolutional.g.cs", StringComparison.Ordinal));
        Snapshot.Verify(run.Sources[hint], modelName + ".Convolutional");
    }

    [Fact]
    public void Convolutional_networks_are_not_network_catalogue_entries()
    {
        GeneratorRun run = GeneratorHarness.Run(File.ReadAllText(Path.Combine(TestPaths.ModelsDirectory, "FashionCnn.cs")));

        Assert.DoesNotContain(run.Sources, s => s.Value.Contains("FashionCnn", StringComparison.Ordinal) && s.Key.Contains("Registry", StringComparison.Ordinal));
    }
}
