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
        SiteRule rule = Rule(kind, sites, dimension);
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

    [Theory]
    [InlineData("grid", 6400, 3)]
    [InlineData("grid", 1000, 3)]
    [InlineData("grid", 25600, 2)]
    [InlineData("mc", 2000, 2)]
    [InlineData("qmc", 2000, 2)]
    [InlineData("qmc", 4096, 4)]
    public void EveryRuleKindPutsMirrorsWhereTheLayoutLookupFindsThem(string kind, int sites, int dimension)
    {
        // The O(n) layout check must find every group's mirrors, and the same ones as the exact hash lookup.
        SiteRule rule = Rule(kind, sites, dimension);
        for (int g = 0; g < rule.Groups; g++)
        {
            int[]? layout = MirrorFolding.MirrorsByLayout(rule, rule.GroupStart[g], rule.GroupStart[g + 1]);
            Assert.NotNull(layout);
            Assert.Equal(MirrorFolding.MirrorsByLookup(rule, rule.GroupStart[g], rule.GroupStart[g + 1]), layout);
        }
    }

    [Fact]
    public void ShuffledNodesFoldByLookupToTheSameRule()
    {
        SiteRule rule = SiteRules.ProductGrid(1000, 2, 7);
        var order = Enumerable.Range(0, rule.Count).ToArray();
        new Random(3).Shuffle(order.AsSpan(rule.GroupStart[0], rule.GroupStart[1] - rule.GroupStart[0]));
        SiteRule shuffled = rule with
        {
            Nodes = [.. order.SelectMany(i => rule.Nodes.AsSpan(i * 2, 2).ToArray())],
            Weights = [.. order.Select(i => rule.Weights[i])],
        };
        Assert.Null(MirrorFolding.MirrorsByLayout(shuffled, shuffled.GroupStart[0], shuffled.GroupStart[1]));
        SiteRule folded = MirrorFolding.Fold(rule), foldedShuffled = MirrorFolding.Fold(shuffled);
        Assert.Equal(folded.GroupStart, foldedShuffled.GroupStart);
        for (int g = 0; g < rule.Groups; g++)
        {
            // The same pairs, each represented by one of its two nodes: compare |first coordinate| and weight.
            static IEnumerable<(double, double)> Pairs(SiteRule r, int g) => Enumerable.Range(r.GroupStart[g], r.GroupStart[g + 1] - r.GroupStart[g])
                .Select(i => (Math.Abs(r.Nodes[i * 2]), r.Weights[i])).Order();
            Assert.Equal(Pairs(folded, g), Pairs(foldedShuffled, g));
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

    private static SiteRule Rule(string kind, int sites, int dimension) => kind switch
    {
        "grid" => SiteRules.ProductGrid(sites, dimension, 7),
        "qmc" => SiteRules.ScrambledHalton(sites, dimension, 7),
        _ => SiteRules.AntitheticMonteCarlo(sites, dimension, 7),
    };
}
