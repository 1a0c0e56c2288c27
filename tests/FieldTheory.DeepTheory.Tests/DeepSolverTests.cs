using FieldTheory.Models;
using FieldTheory.Results;
using FieldTheory.Theory.Deep;
using FieldTheory.Theory.DeepLinear;

namespace FieldTheory.DeepTheory.Tests;

/// <summary>
/// The sampled deep single-site solver (DESIGN.md 3.2) against independent answers. Statistical tolerances are
/// multiples of the solver's own replica standard deviations (Student t with R - 1 degrees of freedom: 6 SD for R = 5
/// leaves a two-sided tail of about 0.4% per comparison).
/// </summary>
public sealed class DeepSolverTests
{
    private const double StudentBound = 6.0;

    [Fact]
    public void LinearModelAgreesWithTheAlgebraicSolver()
    {
        NetworkModel linear = BuiltInModels.Catalogue.Get("DeepLinear");
        double[] gram = TestData.RandomGram(3, 4, seed: 21);
        double[] y = [1.0, -0.5];
        const int steps = 8;
        DeepTrajectory exact = DeepLinearSolver.Solve(3, gram, 2, y, 1.0, 0.1, steps, centered: true);
        DeepResult sampled = DeepSolver.Solve(linear, gram, 2, y, 1.0, 0.1, steps, centered: true, samplesPerLayer: 3000, seed: 5,
            new DeepSolverOptions(TangentSamples: 64, ErrorReplicas: 5));

        Series error = sampled.CombinedError!;
        for (int n = 0; n <= steps; n++)
        {
            for (int mu = 0; mu < 2; mu++)
            {
                AssertWithin(exact.Delta[n][mu], sampled.Trajectory.Delta[n][mu], error.Delta[n][mu], $"Delta_{mu}({n})");
                for (int l = 0; l < 3; l++)
                {
                    AssertWithin(exact.Phi[l][n, mu, n, mu], sampled.Trajectory.Phi[l][n, mu, n, mu], error.FeatureKernel![l][n][mu][mu], $"Phi^{l + 1}({n})");
                    AssertWithin(exact.G[l][n, mu, n, mu], sampled.Trajectory.G[l][n, mu, n, mu], error.GradientKernel![l][n][mu][mu], $"G^{l + 1}({n})");
                }
            }

            AssertWithin(exact.TestF![n][0], sampled.Trajectory.TestF![n][0], error.TestF![n][0], $"test f({n})");
        }

        // phi'' = 0 and phi' = 1: the tangents do not depend on the path, so the responses carry no sampling error.
        Assert.All(sampled.TangentError!.Delta.SelectMany(d => d), e => Assert.True(e < 1e-12, $"tangent error {e}"));
        TheoryResult theory = sampled.ToTheoryResult(twoTimeKernels: true);
        Assert.Equal(steps + 1, theory.Kernels!.Phi[2].Length);
        Assert.NotNull(theory.IntegrationError);
    }

    [Fact]
    public void InitialKernelsEqualTheGaussHermiteNngpRecursion()
    {
        NetworkModel tanh = BuiltInModels.Catalogue.Get("DeepTanh");
        double[] gram = [1.0, 0.6, 0.6, 1.5];
        (double[][,] phi, double[][,] g) = GaussHermiteNngp.Kernels(tanh, gram);
        DeepResult sampled = DeepSolver.Solve(tanh, gram, 2, [1.0, 0.0], 1.0, 0.1, 0, centered: false, samplesPerLayer: 20000, seed: 3,
            new DeepSolverOptions(TangentSamples: 64, ErrorReplicas: 5));

        for (int l = 0; l < 3; l++)
        {
            for (int mu = 0; mu < 2; mu++)
            {
                for (int nu = 0; nu < 2; nu++)
                {
                    AssertWithin(phi[l][mu, nu], sampled.Trajectory.Phi[l][0, mu, 0, nu], sampled.FieldError!.FeatureKernel![l][0][mu][nu], $"Phi^{l + 1}_{mu}{nu}");
                    AssertWithin(g[l][mu, nu], sampled.Trajectory.G[l][0, mu, 0, nu], sampled.FieldError!.GradientKernel![l][0][mu][nu], $"G^{l + 1}_{mu}{nu}");
                }
            }
        }
    }

    [Fact]
    public void KernelsBecomeStaticAsGammaZeroVanishes()
    {
        // Lazy limit (DESIGN.md 3.4): the kernel drift over training shrinks with gamma0 and, at gamma0 = 0.01, is below
        // the sampling error of the kernels themselves (relative standard error of a variance ~ sqrt(2 / M)).
        NetworkModel tanh = BuiltInModels.Catalogue.Get("DeepTanh");
        const int samples = 2000;
        double Drift(double gamma0)
        {
            DeepTrajectory t = DeepSolver.Solve(tanh, [1.0], 1, [1.0], gamma0, 0.1, 10, centered: true, samples, seed: 9,
                new DeepSolverOptions(TangentSamples: 64, ErrorReplicas: 0)).Trajectory;
            double drift = 0;
            for (int l = 0; l < 3; l++)
            {
                drift = Math.Max(drift, Math.Abs(t.Phi[l][10, 0, 10, 0] - t.Phi[l][0, 0, 0, 0]) / t.Phi[l][0, 0, 0, 0]);
                drift = Math.Max(drift, Math.Abs(t.G[l][10, 0, 10, 0] - t.G[l][0, 0, 0, 0]) / t.G[l][0, 0, 0, 0]);
            }

            return drift;
        }

        double rich = Drift(0.5);
        double small = Drift(0.02);
        double smaller = Drift(0.01);
        Assert.True(smaller < 0.6 * small && small < rich, $"drifts {rich}, {small}, {smaller} do not shrink with gamma0");
        Assert.True(smaller < Math.Sqrt(2.0 / samples), $"relative drift {smaller} at gamma0 = 0.01 exceeds the sampling error");
    }

    [Fact]
    public void IteratedSchemeConvergesToTheOnePassSolution()
    {
        NetworkModel tanh = BuiltInModels.Catalogue.Get("DeepTanh");
        double[] gram = [1.0, 0.3, 0.3, 1.0];
        var onePass = new DeepSolverOptions(TangentSamples: 64, ErrorReplicas: 0);
        var iterated = onePass with { Scheme = DeepScheme.Iterated, Tolerance = 1e-9 };
        DeepResult a = DeepSolver.Solve(tanh, gram, 1, [1.0], 1.0, 0.1, 6, centered: true, samplesPerLayer: 500, seed: 4, onePass);
        DeepResult b = DeepSolver.Solve(tanh, gram, 1, [1.0], 1.0, 0.1, 6, centered: true, samplesPerLayer: 500, seed: 4, iterated);

        Assert.True(b.SweepResiduals!.Count > 2, "the iteration must start away from the solution");
        Assert.True(b.SweepResiduals[^1] < 1e-9);
        for (int n = 0; n <= 6; n++)
        {
            Assert.Equal(a.Trajectory.Delta[n][0], b.Trajectory.Delta[n][0], 1e-7);
            Assert.Equal(a.Trajectory.TestF![n][0], b.Trajectory.TestF![n][0], 1e-7);
            Assert.Equal(a.Trajectory.Phi[1][n, 0, n, 1], b.Trajectory.Phi[1][n, 0, n, 1], 1e-7);
            Assert.Equal(a.Trajectory.G[0][n, 0, n, 0], b.Trajectory.G[0][n, 0, n, 0], 1e-7);
        }
    }

    [Fact]
    public void NonConvergenceIsReportedAsAnError()
    {
        NetworkModel tanh = BuiltInModels.Catalogue.Get("DeepTanh");
        var options = new DeepSolverOptions(TangentSamples: 64, Scheme: DeepScheme.Iterated, MaxSweeps: 2, ErrorReplicas: 0);
        var error = Assert.Throws<DeepSolverConvergenceException>(
            () => DeepSolver.Solve(tanh, [1.0], 1, [1.0], 1.0, 0.1, 6, centered: true, samplesPerLayer: 200, seed: 1, options));
        Assert.Equal(2, error.Residuals.Count);
    }

    [Fact]
    public void CancellationAndMemoryLimitAreHonoured()
    {
        NetworkModel tanh = BuiltInModels.Catalogue.Get("DeepTanh");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => DeepSolver.Solve(tanh, [1.0], 1, [1.0], 1.0, 0.1, 5, true, 200, 1,
            new DeepSolverOptions(ErrorReplicas: 0), ct: cancelled.Token));

        var refused = Assert.Throws<FieldTheory.Experiments.ExperimentException>(() => DeepSolver.Solve(tanh, [1.0], 1, [1.0], 1.0, 0.1, 100, true, 4096, 1,
            new DeepSolverOptions(TangentSamples: 4096, MemoryLimitBytes: 256L << 20)));
        Assert.Equal("theory.sites", refused.Field);

        var reports = new List<double>();
        DeepSolver.Solve(tanh, [1.0], 1, [1.0], 1.0, 0.1, 3, true, 200, 1, new DeepSolverOptions(TangentSamples: 64, ErrorReplicas: 0),
            new SynchronousProgress(reports.Add));
        Assert.Equal(1.0, reports[^1], 12);
    }

    [FullFact]
    public void ThreeTanhLayersReproduceTheDesignNumbers()
    {
        // DESIGN.md 3.2: L = 3 tanh, gamma0 = 1, P = 1, x = y = 1: Delta(t = 1) about 0.52, and 0.69 without responses.
        NetworkModel tanh = BuiltInModels.Catalogue.Get("DeepTanh");
        var options = new DeepSolverOptions(TangentSamples: 2000, ErrorReplicas: 4);
        DeepResult full = DeepSolver.Solve(tanh, [1.0], 1, [1.0], 1.0, 0.1, 10, true, 40000, 2, options);
        DeepResult dropped = DeepSolver.Solve(tanh, [1.0], 1, [1.0], 1.0, 0.1, 10, true, 40000, 2, options with { DropResponses = true });
        Assert.InRange(full.Trajectory.Delta[10][0], 0.515 - 3 * full.CombinedError!.Delta[10][0], 0.525 + 3 * full.CombinedError.Delta[10][0]);
        Assert.InRange(dropped.Trajectory.Delta[10][0], 0.685 - 3 * dropped.CombinedError!.Delta[10][0], 0.695 + 3 * dropped.CombinedError.Delta[10][0]);
    }

    private static void AssertWithin(double expected, double actual, double standardDeviation, string what) =>
        Assert.True(Math.Abs(actual - expected) <= StudentBound * standardDeviation + 1e-12,
            $"{what}: sampled {actual} vs reference {expected}, {Math.Abs(actual - expected) / standardDeviation:F1} SD (SD {standardDeviation})");

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
