using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Fluctuations.TwoLayer;
using FieldTheory.Theory;
using FieldTheory.Theory.Integration;
using Propagation = FieldTheory.Fluctuations.TwoLayer.TwoLayerFluctuations;

namespace FieldTheory.TwoLayerFluctuations.Tests;

/// <summary>Memory measured while no other test of this assembly runs: the allocation counters are process-wide.</summary>
[CollectionDefinition(nameof(MemoryMeasurementCollection), DisableParallelization = true)]
public sealed class MemoryMeasurementCollection;

/// <summary>
/// <see cref="FluctuationMemory.PeakBytes"/>, the formula that refuses runs that would not fit, against what the
/// dense propagator allocates (its lanes' R x C moments dominate).
/// </summary>
[Collection(nameof(MemoryMeasurementCollection))]
public sealed class MemoryTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void PeakMemoryFormulaCoversWhatTheDensePropagatorAllocates(bool bias, bool replayed)
    {
        // Two training points and a test point in D = 3 (the data of Problems.ThreePoints): a site state of 4 numbers,
        // summed by the factored pass; with a second test point 5, above the limit, so replayed lane by lane.
        var spec = replayed
            ? new InlineData(3, [1.0, 0.5, -0.3, -0.2, 1.1, 0.7], [0.8, -0.5], [0.4, -0.9, 1.2, 0.1, 0.6, -0.7], [0.3, -0.2])
            : new InlineData(3, [1.0, 0.5, -0.3, -0.2, 1.1, 0.7], [0.8, -0.5], [0.4, -0.9, 1.2], [0.3]);
        int points = replayed ? 4 : 3;
        Dataset data = DataFactory.Build(spec);
        const int Steps = 24, Sites = 4000;
        var experiment = new Experiment(new ModelReference("TwoLayerTanh", null), spec, 1.0, 0.1, Steps, false, false, 0, null, new TheorySpec(Sites, IntegrationMethod.Mc, 1, false, true, bias));
        var options = new FluctuationOptions(Bias: bias);
        Propagation.Solve(experiment, Problems.Tanh, data, options, null, CancellationToken.None); // JIT and statics
        long retainedBefore = GC.GetTotalMemory(forceFullCollection: true);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        FluctuationResult result = Propagation.Solve(experiment, Problems.Tanh, data, options, null, CancellationToken.None);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long retained = GC.GetTotalMemory(forceFullCollection: true) - retainedBefore;
        GC.KeepAlive(result);
        (long sites, int groups, _) = TheoryRunner.RulePlan(IntegrationMethod.Mc, Sites, 4);
        long formula = FluctuationMemory.PeakBytes(sites, 4, points, 2, Steps, groups, bias, finiteDifferences: false);

        // The formula covers what outlives the solve and the largest block allocated at once (the pass's R x C moments:
        // one set when factored, one per lane and their sum when replayed), is not more than everything ever allocated
        // (it states the peak, not a loose bound), and the garbage of a solve stays within a few formulas (buffers are
        // reused from group to group, docs/propagator-benchmark.md).
        long momentSets = replayed ? SiteLanes.Count + 1L : 1L;
        long moments = momentSets * 2 * 8 * new ObservableLayout(points, 2, Steps, 1).Rows * 2 * (Steps + 1);
        Assert.True(retained <= formula && moments <= formula, $"retained {retained} bytes, moments {moments}, formula {formula}");
        Assert.True(formula <= allocated && allocated <= 3 * formula, $"allocated {allocated} bytes, formula {formula}");
    }
}
