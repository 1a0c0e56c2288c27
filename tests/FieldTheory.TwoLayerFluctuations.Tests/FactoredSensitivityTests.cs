using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Fluctuations.TwoLayer;
using FieldTheory.Models;

namespace FieldTheory.TwoLayerFluctuations.Tests;

/// <summary>
/// The factored sensitivities of <see cref="SiteBlock{TLanes}"/> (transfer matrices, one causal product over the sites)
/// against the replay of every tangent, on the same sites: equal to rounding, including blocks whose transfer matrices
/// are too badly conditioned to factor and are replayed instead.
/// </summary>
public sealed class FactoredSensitivityTests
{
    [Theory]
    [InlineData(1.0, 0.05, 120, false)]
    [InlineData(2.0, 0.3, 40, true)]
    public void FactoredSumsEqualTheReplayForOneTrainingPoint(double gamma0, double eta, int steps, bool centered)
    {
        var problem = Problems.Problem(new Dataset(1, [1.0], [1.0]), gamma0, eta, steps, centered);
        (SiteMoments factored, SiteMoments replayed, _) = BothForms(problem, sites: 203);
        Assert.True(factored.FactoredBlocks > 0 && factored.ReplayedBlocks == 0, $"{factored.FactoredBlocks} factored, {factored.ReplayedBlocks} replayed blocks");
        Assert.Equal(0, replayed.FactoredBlocks);
        AssertEqualToRounding(replayed.Jacobian, factored.Jacobian, 1e-11);
    }

    [Fact]
    public void BadlyConditionedBlocksAreReplayedAndTheSumsStillAgree()
    {
        // eta gamma0 = 8: some sites' step Jacobians 1 + c Delta w phi'' pass through zero, so their transfer matrices
        // are (nearly) singular and cannot be factored.
        var problem = Problems.Problem(new Dataset(1, [1.0], [1.0]), 2.0, 4.0, 12, centered: false);
        (SiteMoments factored, SiteMoments replayed, _) = BothForms(problem, sites: 400);
        Assert.True(factored.ReplayedBlocks > 0, "the problem is meant to have badly conditioned blocks");
        Assert.True(factored.FactoredBlocks > 0, "and well-conditioned ones");
        AssertEqualToRounding(replayed.Jacobian, factored.Jacobian, 1e-9);
    }

    [Fact]
    public void StatesAboveTheLimitAreReplayed()
    {
        // Q = 4 points: a state of 5 numbers, above SiteBlock.MaxFactoredState.
        var data = new Dataset(3, [1.0, 0.2, 0.1, 0.5, -0.3, 0.8, 0.9, 0.4, -0.2], [0.5, -0.4, 0.2], [0.3, 0.3, 1.0], [0.1]);
        var problem = Problems.Problem(data, 1.0, 0.2, 6, centered: false);
        (SiteMoments moments, _, ObservableLayout layout) = BothForms(problem, sites: 40);
        Assert.False(SiteBlock<VectorLanes>.Factors(layout));
        Assert.Equal(0, moments.FactoredBlocks);
    }

    [Fact]
    public async Task OneThreadAndManyThreadsGiveIdenticalSums()
    {
        // The chunked pass records blocks and splits the products by rows in parallel; every sum keeps its site order.
        var problem = Problems.Problem(Problems.ThreePoints(), 1.5, 0.3, 9, centered: false);
        SiteSystem system = Problems.System(problem, 2 * 300);
        double[] delta = MeanTrajectory.Solve<TwoLayerTanh.Activation>(system, 0, 300, default);
        SiteMoments many = SensitivityPass.Run<TwoLayerTanh.Activation, VectorLanes>(system, 0, 300, delta, new SensitivityLanes(), default);
        var oneThread = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, maxConcurrencyLevel: 1).ExclusiveScheduler;
        SiteMoments one = await Task.Factory.StartNew(
            () => SensitivityPass.Run<TwoLayerTanh.Activation, VectorLanes>(system, 0, 300, delta, new SensitivityLanes(), default),
            CancellationToken.None,
            TaskCreationOptions.None,
            oneThread);
        Assert.True(many.FactoredBlocks > 0);
        Assert.Equal(one.Mean, many.Mean);
        Assert.Equal(one.Second, many.Second);
        Assert.Equal(one.Cross, many.Cross);
        Assert.Equal(one.Jacobian, many.Jacobian);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BothFormsReportTheirProgressWithinAGroup(bool factored)
    {
        var problem = Problems.Problem(new Dataset(1, [1.0], [1.0]), 1.0, 0.1, 10, centered: false);
        SiteSystem system = Problems.System(problem, 2 * 2000);
        double[] delta = MeanTrajectory.Solve<TwoLayerTanh.Activation>(system, 0, 2000, default);
        var fractions = new List<double>();
        SensitivityPass.Run<TwoLayerTanh.Activation, VectorLanes>(system, 0, 2000, delta, new SensitivityLanes(), default, factored: factored, done: fractions.Add);
        Assert.True(fractions.Count >= 3, $"{fractions.Count} reports");
        Assert.All(fractions, f => Assert.InRange(f, 0.0, 1.0));
        Assert.Equal(fractions.Order(), fractions);
        Assert.True(fractions[^1] > 0.9, $"last report {fractions[^1]}");
    }

    private static (SiteMoments Factored, SiteMoments Replayed, ObservableLayout Layout) BothForms(Theory.TwoLayer.TwoLayerProblem problem, int sites)
    {
        SiteSystem system = Problems.System(problem, 2 * sites);
        double[] delta = MeanTrajectory.Solve<TwoLayerTanh.Activation>(system, 0, sites, default);
        SiteMoments factored = SensitivityPass.Run<TwoLayerTanh.Activation, VectorLanes>(system, 0, sites, delta, new SensitivityLanes(), default);
        SiteMoments replayed = SensitivityPass.Run<TwoLayerTanh.Activation, VectorLanes>(system, 0, sites, delta, new SensitivityLanes(), default, factored: false);
        return (factored, replayed, system.Layout);
    }

    private static void AssertEqualToRounding(double[] expected, double[] actual, double relative)
    {
        double scale = expected.Max(Math.Abs);
        Assert.True(scale > 1e-6, "the sensitivities are not trivially zero");
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(Math.Abs(expected[k] - actual[k]) <= relative * scale, $"entry {k}: replay {expected[k]:R}, factored {actual[k]:R}");
        }
    }
}
