using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Results;
using FieldTheory.Theory.Integration;
using FieldTheory.Theory.TwoLayer;

namespace FieldTheory.Theory.Tests;

/// <summary>
/// <see cref="MirrorFolding"/>: rules of mirror pairs fold to half their nodes with the same weights per group, other
/// rules and non-odd activations are left alone, and the folded rule gives the two-layer solver's unfolded results.
/// </summary>
public sealed class MirrorFoldingTests(DeviceFixture fixture) : IClassFixture<DeviceFixture>
{
    [Theory]
    [InlineData("grid", 6400, 3)]
    [InlineData("grid", 1000, 3)]
    [InlineData("mc", 2000, 2)]
    [InlineData("qmc", 2000, 2)]
    public void MirrorPairRulesFoldToHalfTheirNodes(string kind, int sites, int dimension)
    {
        SiteRule rule = kind switch
        {
            "grid" => SiteRules.ProductGrid(sites, dimension, 7),
            "qmc" => SiteRules.ScrambledHalton(sites, dimension, 7),
            _ => SiteRules.AntitheticMonteCarlo(sites, dimension, 7),
        };
        SiteRule folded = MirrorFolding.Fold(rule);
        Assert.Equal(rule.Groups, folded.Groups);
        for (int g = 0; g < rule.Groups; g++)
        {
            int size = rule.GroupStart[g + 1] - rule.GroupStart[g];
            int foldedSize = folded.GroupStart[g + 1] - folded.GroupStart[g];
            Assert.Equal((size + 1) / 2, foldedSize); // odd-order grids keep the node at the origin
            Assert.Equal(1.0, folded.Weights.AsSpan(folded.GroupStart[g], foldedSize).ToArray().Sum(), 12);
        }
    }

    [Fact]
    public void RulesWithoutMirrorPairsAndEvenActivationsAreNotFolded()
    {
        SiteRule unpaired = new(1, [0.5, 1.0, -0.5, -1.0], [0.25, 0.25, 0.25, 0.25], [0, 2, 4], 4, "mirror pairs split across groups");
        Assert.Same(unpaired, MirrorFolding.Fold(unpaired));
        SiteRule unequal = new(1, [0.5, -0.5], [0.4, 0.6], [0, 2], 2, "mirror pair of unequal weight");
        Assert.Same(unequal, MirrorFolding.Fold(unequal));
        Assert.True(MirrorFolding.IsOdd(TheoryFixture.Model("TwoLayerTanh")));
        Assert.True(MirrorFolding.IsOdd(TheoryFixture.Model("TwoLayerErf")));
        Assert.False(MirrorFolding.IsOdd(TheoryFixture.Model("TwoLayerRelu")));
        Assert.False(MirrorFolding.IsOdd(TheoryFixture.Model("Softplus")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FoldedRulesGiveTheUnfoldedSolution(bool centered)
    {
        Experiment experiment = TheoryFixture.Experiment("""{ "kind": "inline", "x": [[1, 0], [0.6, 0.8]], "y": [1, -0.5], "testX": [[0.8, -0.6]] }""", 1.5, 0.1, 20, """{ "sites": 4096, "integration": "quadrature" }""", centered);
        Dataset data = DataFactory.Build(experiment.Data);
        var problem = new TwoLayerProblem(data.InputGram(), 2, data.Y, 1.5, 0.1, 20, centered, true);
        SiteRule rule = SiteRules.ProductGrid(4096, 3, 11);
        ITwoLayerSolver solver = TheoryFixture.Model("TwoLayerTanh").Accept(new TwoLayerSolverFactory(fixture.Device, TwoLayerBackend.Cpu));
        Series full = solver.Solve(problem, rule, threads: 2, null, CancellationToken.None).Mean;
        Series folded = solver.Solve(problem, MirrorFolding.Fold(rule), threads: 2, null, CancellationToken.None).Mean;
        for (int n = 0; n <= 20; n++)
        {
            for (int a = 0; a < 2; a++)
            {
                Assert.Equal(full.Delta[n][a], folded.Delta[n][a], 1e-13);
                Assert.Equal(full.Ntk[n][a][1], folded.Ntk[n][a][1], 1e-13);
            }

            Assert.Equal(full.TestF![n][0], folded.TestF![n][0], 1e-13);
        }
    }
}
