using FieldTheory.Results;
using FieldTheory.Theory.Integration;
using FieldTheory.Theory.TwoLayer;

namespace FieldTheory.Theory.Tests;

/// <summary>
/// <see cref="GridPruning"/>: a pruned product grid is the full grid without its lightest nodes, which weigh at most
/// the pruned mass together and could not be fewer; it keeps the mirror symmetry folding relies on; and the two-layer
/// solution on it equals the full grid's to rounding.
/// </summary>
public sealed class GridPruningTests(DeviceFixture fixture) : IClassFixture<DeviceFixture>
{
    [Theory]
    [InlineData(25600, 2, 1e-18)]
    [InlineData(200000, 2, 1e-18)]
    [InlineData(13824, 3, 1e-18)]
    [InlineData(25600, 2, 1e-10)]
    public void APrunedGridDropsTheLightestNodesUpToTheMassAndNoMore(int sites, int dimension, double mass)
    {
        SiteRule full = SiteRules.ProductGrid(sites, dimension, 5, prunedMass: 0.0);
        SiteRule pruned = SiteRules.ProductGrid(sites, dimension, 5, mass);

        Assert.Equal(full.Groups, pruned.Groups);
        Assert.True(pruned.Count < full.Count, $"{pruned.Count} of {full.Count} nodes kept");
        Assert.Contains("pruned", pruned.Description);
        for (int g = 0; g < full.Groups; g++)
        {
            // The pruned group is a subsequence of the full one: walk both and collect the weights left out.
            var dropped = new List<double>();
            int k = pruned.GroupStart[g];
            for (int i = full.GroupStart[g]; i < full.GroupStart[g + 1]; i++)
            {
                bool same = k < pruned.GroupStart[g + 1] && pruned.Weights[k] == full.Weights[i]
                    && pruned.Nodes.AsSpan(k * dimension, dimension).SequenceEqual(full.Nodes.AsSpan(i * dimension, dimension));
                if (same)
                {
                    k++;
                }
                else
                {
                    dropped.Add(full.Weights[i]);
                }
            }

            Assert.Equal(pruned.GroupStart[g + 1], k);
            double lightestKept = pruned.Weights.AsSpan(pruned.GroupStart[g], pruned.GroupStart[g + 1] - pruned.GroupStart[g]).ToArray().Min();
            Assert.True(dropped.Max() < lightestKept);
            Assert.True(dropped.Sum() <= mass, $"dropped mass {dropped.Sum()}");
            // Leaving out the lightest kept weight too (with its mirror and permutation twins, which weigh the same)
            // would exceed the mass.
            int twins = pruned.Weights.AsSpan(pruned.GroupStart[g], pruned.GroupStart[g + 1] - pruned.GroupStart[g]).Count(lightestKept);
            Assert.True(dropped.Sum() + (twins * lightestKept) > mass, "more nodes could have been left out");
        }
    }

    [Fact]
    public void APrunedGridStillFoldsByItsLayout()
    {
        SiteRule pruned = SiteRules.ProductGrid(25600, 2, 5);

        for (int g = 0; g < pruned.Groups; g++)
        {
            Assert.NotNull(MirrorFolding.MirrorsByLayout(pruned, pruned.GroupStart[g], pruned.GroupStart[g + 1]));
        }

        Assert.Equal(pruned.Count / 2, MirrorFolding.Fold(pruned).Count);
    }

    // The left-out mass (1e-18) times the integrands on the left-out nodes (|z| > 8.5, where w^2 phi'^2 <= 1e2 for these
    // models): far below the rounding of f = y - Delta and K, both of order 1.
    [Theory]
    [InlineData("TwoLayerTanh", 2.0, 200, 1e-14)]
    [InlineData("TwoLayerRelu", 1.0, 200, 1e-14)]
    [InlineData("Softplus", 1.0, 200, 1e-14)]
    public void TheTwoLayerSolutionOnAPrunedGridEqualsTheFullGridsToTheBound(string model, double gamma0, int steps, double tolerance)
    {
        var problem = new TwoLayerProblem([1.0], 1, [1.0], gamma0, 0.05, steps, false, false);
        ITwoLayerSolver solver = TheoryFixture.Model(model).Accept(new TwoLayerSolverFactory(fixture.Device, TwoLayerBackend.Cpu));

        Series full = solver.Solve(problem, SiteRules.ProductGrid(25600, 2, 5, prunedMass: 0.0), threads: 1, null, CancellationToken.None).Mean;
        Series pruned = solver.Solve(problem, SiteRules.ProductGrid(25600, 2, 5), threads: 1, null, CancellationToken.None).Mean;

        for (int n = 0; n <= problem.Steps; n++)
        {
            Assert.Equal(full.Delta[n][0], pruned.Delta[n][0], tolerance);
            Assert.Equal(full.Ntk[n][0][0], pruned.Ntk[n][0][0], 10 * tolerance);
        }
    }
}
