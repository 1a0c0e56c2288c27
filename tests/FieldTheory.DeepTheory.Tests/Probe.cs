using System.Diagnostics;
using FieldTheory.Models;
using FieldTheory.Theory.Deep;
using FieldTheory.Theory.DeepLinear;
using Xunit.Abstractions;

namespace FieldTheory.DeepTheory.Tests;

public sealed class Probe(ITestOutputHelper output)
{
    [Fact]
    public void Run()
    {
        if (Environment.GetEnvironmentVariable("FTC_PROBE") != "1") return;
        var sw = Stopwatch.StartNew();
        var lin = BuiltInModels.Catalogue.Get("DeepLinear");
        DeepTrajectory exact = DeepLinearSolver.Solve(3, [1.0], 1, [1.0], 1.0, 0.1, 10, centered: true);
        DeepResult s = DeepSolver.Solve(lin, [1.0], 1, [1.0], 1.0, 0.1, 10, true, 4000, 1, new DeepSolverOptions(TangentSamples: 256, ErrorReplicas: 3));
        output.WriteLine($"linear {sw.Elapsed.TotalSeconds:F1}s");
        for (int n = 0; n <= 10; n++)
            output.WriteLine($"n={n} exact {exact.Delta[n][0]:F5} sampled {s.Trajectory.Delta[n][0]:F5} fe {s.FieldError!.Delta[n][0]:F5} te {s.TangentError!.Delta[n][0]:F5}  Phi1 {exact.Phi[0][n,0,n,0]:F4} {s.Trajectory.Phi[0][n,0,n,0]:F4} G1 {exact.G[0][n,0,n,0]:F4} {s.Trajectory.G[0][n,0,n,0]:F4}");
        sw.Restart();
        var tanh = BuiltInModels.Catalogue.Get("DeepTanh");
        DeepResult t = DeepSolver.Solve(tanh, [1.0], 1, [1.0], 1.0, 0.1, 10, true, 4000, 1, new DeepSolverOptions(TangentSamples: 512, ErrorReplicas: 2));
        DeepResult t0 = DeepSolver.Solve(tanh, [1.0], 1, [1.0], 1.0, 0.1, 10, true, 4000, 1, new DeepSolverOptions(TangentSamples: 512, ErrorReplicas: 0, DropResponses: true));
        output.WriteLine($"tanh {sw.Elapsed.TotalSeconds:F1}s Delta(1) = {t.Trajectory.Delta[10][0]:F4} +- {t.CombinedError!.Delta[10][0]:F4}  dropped {t0.Trajectory.Delta[10][0]:F4}");
    }
}
