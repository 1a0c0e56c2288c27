using System.Diagnostics;
using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Models;
using FieldTheory.Theory.Integration;
using FieldTheory.Theory.TwoLayer;

namespace FieldTheory.Theory.Benchmarks;

/// <summary>
/// Where the two-layer benchmark case's time goes: building the site rule (8 rotated Gauss-Hermite grids), folding it
/// by the odd symmetry, and the forward integration itself, each the best of <c>repeats</c> runs in this process.
/// </summary>
internal static class TwoLayerPhases
{
    public static void Run(int repeats, string modelName = "TwoLayerTanh", int? threads = null, int sites = 25600)
    {
        using var device = ComputeDevice.Create("cpu");
        Experiment experiment = ExperimentParser.Parse(TwoLayerBenchmark.ExperimentJson.Replace("\"sites\": 25600", $"\"sites\": {sites}"));
        NetworkModel model = BuiltInModels.Catalogue.Get(modelName);
        Dataset data = DataFactory.Build(experiment.Data);
        var problem = new TwoLayerProblem(data.InputGram(), data.Count, data.Y, experiment.Gamma0, experiment.Eta, experiment.Steps, experiment.Centered, false);
        ITwoLayerSolver solver = model.Accept(new TwoLayerSolverFactory(device));
        double build = double.MaxValue, fold = double.MaxValue, solve = double.MaxValue, whole = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            SiteRule grids = TheoryRunner.BuildRule(IntegrationMethod.Quadrature, experiment.Theory!, 2);
            build = Math.Min(build, clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            SiteRule rule = TheoryRunner.FoldIfOdd(grids, model);
            fold = Math.Min(fold, clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            solver.Solve(problem, rule, threads, null, CancellationToken.None);
            solve = Math.Min(solve, clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            TheoryRunner.TwoLayer(experiment, model, data, device, threads, null, CancellationToken.None);
            whole = Math.Min(whole, clock.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"{modelName}, {(threads is null ? "default threads" : $"{threads} threads")}: two-layer P = 1, T = 320, {sites} sites, best of {repeats}: rule {build:F2} ms, folding {fold:F2} ms, " +
            $"integration {solve:F2} ms; the whole TheoryRunner.TwoLayer {whole:F2} ms (load {File.ReadAllText("/proc/loadavg").Trim()})");
    }
}
