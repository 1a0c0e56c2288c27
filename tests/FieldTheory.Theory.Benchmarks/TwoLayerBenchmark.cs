using BenchmarkDotNet.Attributes;
using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Models;
using FieldTheory.Results;
using FieldTheory.Theory.Integration;
using FieldTheory.Theory.TwoLayer;

namespace FieldTheory.Theory.Benchmarks;

/// <summary>Two-layer tanh, P = 1 (x = y = 1), gamma0 = 1, eta = 0.05, T = 320, 25600 sites (8 randomly rotated 56^2 grids).</summary>
[MemoryDiagnoser]
public class TwoLayerBenchmark
{
    private ComputeDevice _device = null!;
    private Experiment _experiment = null!;
    private NetworkModel _model = null!;
    private Dataset _data = null!;

    /// <summary>The experiment the NumPy baseline mirrors.</summary>
    public const string ExperimentJson = """
        { "model": "TwoLayerTanh", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.05, "steps": 320,
          "theory": { "sites": 25600, "integration": "quadrature" } }
        """;

    /// <summary>
    /// The case for the ILGPU kernel path on <paramref name="device"/> (TheoryRunner picks it only on a GPU): the problem,
    /// the 8 rotated grids and the kernel solver, so that CPU-accelerator and CUDA timings solve the same thing.
    /// </summary>
    internal static (TwoLayerProblem Problem, SiteRule Rule, ITwoLayerSolver Solver) KernelCase(ComputeDevice device)
    {
        Experiment experiment = ExperimentParser.Parse(ExperimentJson);
        Dataset data = DataFactory.Build(experiment.Data);
        var problem = new TwoLayerProblem(data.InputGram(), data.Count, data.Y, experiment.Gamma0, experiment.Eta, experiment.Steps, experiment.Centered, false);
        SiteRule rule = TheoryRunner.BuildRule(IntegrationMethod.Quadrature, experiment.Theory!, 2);
        ITwoLayerSolver solver = BuiltInModels.Catalogue.Get("TwoLayerTanh").Accept(new TwoLayerSolverFactory(device, TwoLayerBackend.Kernel));
        return (problem, rule, solver);
    }

    [GlobalSetup]
    public void Setup()
    {
        _device = ComputeDevice.Create("cpu");
        _experiment = ExperimentParser.Parse(ExperimentJson);
        _model = BuiltInModels.Catalogue.Get("TwoLayerTanh");
        _data = DataFactory.Build(_experiment.Data);
        Solve();
    }

    [Benchmark]
    public TheoryResult Solve() => TheoryRunner.Run(_experiment, _model, _data, _device, null, CancellationToken.None);

    [GlobalCleanup]
    public void Cleanup() => _device.Dispose();
}
