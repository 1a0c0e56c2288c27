using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Theory.Integration;
using FieldTheory.Theory.TwoLayer;

namespace FieldTheory.Theory.Tests;

/// <summary>Memory measured while no other test of this assembly runs: GC.GetTotalMemory is process-wide.</summary>
[CollectionDefinition(nameof(MemoryMeasurementCollection), DisableParallelization = true)]
public sealed class MemoryMeasurementCollection;

/// <summary>
/// The two-layer solver's peak-memory formula against what it allocates (alone in its collection: a parallel test's
/// allocations had been counted as the solver's, 25.9 MB "live" against a formula of 10.6 MB).
/// </summary>
[Collection(nameof(MemoryMeasurementCollection))]
public sealed class TwoLayerMemoryTests(DeviceFixture fixture) : IClassFixture<DeviceFixture>
{
    [Theory]
    [InlineData(TwoLayerBackend.Cpu, true)]
    [InlineData(TwoLayerBackend.Kernel, true)]
    [InlineData(TwoLayerBackend.Cpu, false)]
    [InlineData(TwoLayerBackend.Kernel, false)]
    internal void PeakMemoryFormulaCoversWhatTheSolverAllocates(TwoLayerBackend backend, bool twoTime)
    {
        Experiment experiment = TheoryFixture.Experiment("""{ "kind": "inline", "x": [[1, 0], [0.6, 0.8]], "y": [1, -0.5], "testX": [[0.8, -0.6]] }""", 1.0, 0.1, 30, $$"""{ "sites": 8000, "integration": "mc", "kernels": {{(twoTime ? "true" : "false")}} }""");
        Dataset data = DataFactory.Build(experiment.Data);
        var problem = new TwoLayerProblem(data.InputGram(), 2, data.Y, 1.0, 0.1, 30, false, twoTime);
        SiteRule rule = SiteRules.AntitheticMonteCarlo(8000, 3, 1);
        ITwoLayerSolver solver = TheoryFixture.Model("TwoLayerTanh").Accept(new TwoLayerSolverFactory(fixture.Device, backend));
        long retainedBefore = GC.GetTotalMemory(forceFullCollection: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        TwoLayerSolution solution = solver.Solve(problem, rule, threads: 1, null, CancellationToken.None);
        long managed = GC.GetAllocatedBytesForCurrentThread() - before;
        long retained = GC.GetTotalMemory(forceFullCollection: true) - retainedBefore;
        GC.KeepAlive(solution);
        (long sites, int groups, long chunks) = TheoryRunner.RulePlan(IntegrationMethod.Mc, 8000, 3);
        Assert.Equal(rule.Count, sites);
        long formula = TwoLayerMemory.PeakBytes(sites, 3, 3, 2, 30, groups, chunks, twoTime);

        // The formula covers what is live at the end (device buffers, the rule, the result) and is not more than
        // twice everything ever allocated (including short-lived arrays): it states the peak, not a loose bound.
        long live = solution.DeviceBytes + (8L * (rule.Nodes.Length + rule.Weights.Length)) + retained;
        long everything = solution.DeviceBytes + (8L * (rule.Nodes.Length + rule.Weights.Length)) + managed;
        Assert.True(live <= formula && formula <= 2 * everything, $"live {live} bytes, allocated {everything}, formula {formula}");
    }
}
