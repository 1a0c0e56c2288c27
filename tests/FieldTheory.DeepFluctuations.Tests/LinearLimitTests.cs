using FieldTheory.Fluctuations.DeepLinear;
using FieldTheory.Fluctuations.DeepNonlinear;
using FieldTheory.Theory.Deep;
using Xunit.Abstractions;

namespace FieldTheory.DeepFluctuations.Tests;

/// <summary>
/// With phi(h) = h the sampled propagator must reproduce the exact deep linear propagator (Wick's theorem, DESIGN.md
/// 4.5) within its Monte Carlo error, estimated from independent replicas with different seeds.
/// </summary>
public sealed class LinearLimitTests(ITestOutputHelper output)
{
    [Fact]
    public void LinearActivationReproducesTheDeepLinearPropagator() => Check(TestModels.Linear, 2);

    /// <summary>Three hidden layers: the middle layer's sites carry derivatives in both source families (DESIGN.md 4.5).</summary>
    [Fact]
    public void LinearActivationReproducesTheDeepLinearPropagatorWithThreeHiddenLayers() => Check(TestModels.DeepLinear, 3);

    /// <summary>Four hidden layers: two middle layers, coupled to each other by J (Q^2 with P^3).</summary>
    [FullFact]
    public void LinearActivationReproducesTheDeepLinearPropagatorWithFourHiddenLayers() => Check(TestModels.Linear4, 4);

    /// <summary>
    /// Two training points with non-orthogonal inputs (K^x_12 = 0.7, correlation 0.71) and targets of opposite sign,
    /// uncentered: the composite (step, point) positions, the P x P input source of layer 1, the equal-time B block
    /// between the points and the cross-point covariances (Delta_1 with Delta_2, the off-diagonal NTK and kernel entries).
    /// </summary>
    [Fact]
    public void LinearActivationReproducesTheDeepLinearPropagatorWithTwoTrainingPoints() =>
        Check(TestModels.Linear, 2, TwoPoints.InputGram, TwoPoints.Y, steps: 3, fieldSamples: 10000, tangentSamples: 2000, centered: false);

    /// <summary>The same two points, centered (f - f(0): the initial value of each point is subtracted at its own position).</summary>
    [FullFact]
    public void LinearActivationReproducesTheDeepLinearPropagatorWithTwoCenteredTrainingPoints() =>
        Check(TestModels.Linear, 2, TwoPoints.InputGram, TwoPoints.Y, steps: 4, fieldSamples: 20000, tangentSamples: 4000, centered: true);

    /// <summary>
    /// Three training points (the Gram of x = (1, 1), (1.4, 0), (0.5, -1) over 2, targets of both signs): every pair of
    /// points in the composite positions, 3 x 3 source covariances, three cross-point covariances per step.
    /// </summary>
    [Fact]
    public void LinearActivationReproducesTheDeepLinearPropagatorWithThreeTrainingPoints() =>
        Check(TestModels.Linear, 2, [1.0, 0.7, -0.25, 0.7, 0.98, 0.35, -0.25, 0.35, 0.625], [1.0, -0.5, 0.8], steps: 2, fieldSamples: 10000, tangentSamples: 2000, centered: false);

    /// <summary>Three hidden layers on the two points: middle-layer sites with both source families at composite positions.</summary>
    [Fact]
    public void LinearActivationReproducesTheDeepLinearPropagatorWithThreeHiddenLayersOnTwoPoints() =>
        Check(TestModels.DeepLinear, 3, TwoPoints.InputGram, TwoPoints.Y, steps: 3, fieldSamples: 10000, tangentSamples: 2000, centered: false);

    private void Check(NetworkModel model, int layers) =>
        Check(model, layers, [1.0], [1.0], steps: 4, fieldSamples: 20000, tangentSamples: 4000, centered: false);

    private void Check(NetworkModel model, int layers, double[] inputGram, double[] y, int steps, int fieldSamples, int tangentSamples, bool centered)
    {
        const double gamma0 = 1.0, eta = 0.1;
        const int replicas = 8;
        DeepLinearFluctuations exact = DeepLinearPropagator.Compute(layers, inputGram, y, gamma0, eta, steps, centered);
        NonlinearSaddle saddle = LinearSaddle(exact.Saddle, layers, inputGram);
        var samples = new List<DeepLinearFluctuations>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int r = 0; r < replicas; r++)
        {
            samples.Add(DeepNonlinearPropagator.Compute(model, saddle, exact.Saddle, new PropagatorSampling(fieldSamples, tangentSamples, (ulong)(100 + r))).Fluctuations);
        }

        output.WriteLine($"P = {y.Length}, T = {steps}, L = {layers}: {replicas} replicas in {clock.Elapsed.TotalSeconds:F1} s");
        double worst = 0;
        int count = 0;
        foreach ((string name, Func<DeepLinearFluctuations, double> read) in Entries(steps, layers, y.Length))
        {
            double[] values = [.. samples.Select(read)];
            double mean = values.Average();
            double se = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (replicas - 1) / replicas);
            double expected = read(exact);
            output.WriteLine($"{name}: exact {expected:F5}  sampled {mean:F5} +- {se:F5}");
            worst = se > 0 ? Math.Max(worst, Math.Abs(mean - expected) / se) : worst;
            count++;
            // Student t with 7 degrees of freedom: |t| > 4.5 has probability 0.003 per entry.
            Assert.True(Math.Abs(mean - expected) <= 4.5 * se + 1e-9, $"{name}: sampled {mean:F5} +- {se:F5} vs exact {expected:F5}");
        }

        output.WriteLine($"{count} entries, largest |sampled - exact| {worst:F2} SE");
    }

    /// <summary>
    /// The exact deep linear saddle of <paramref name="trajectory"/> on inputs with Gram matrix <paramref name="inputGram"/>
    /// (over the training points and then any test points of the trajectory; K^x = 1 when omitted). Test points get Delta = 0.
    /// </summary>
    internal static NonlinearSaddle LinearSaddle(DeepTrajectory trajectory, int layers, double[]? inputGram = null)
    {
        inputGram ??= [1.0];
        int train = trajectory.TrainCount, points = train + trajectory.TestCount;
        double[] delta = [.. trajectory.Delta.SelectMany(d => d.Concat(new double[points - train]))];
        var sites = DeepLinearSaddle.Build(layers, points, trajectory.Steps, trajectory.Gamma0, trajectory.Eta, inputGram, delta).Sites;
        double eta = trajectory.Eta;
        var phi = new double[layers + 1][];
        var g = new double[layers + 2][];
        var a = new double[layers + 1][];
        var b = new double[layers + 1][];
        for (int l = 1; l <= layers; l++)
        {
            phi[l] = sites[l - 1].H;
            g[l] = sites[l - 1].G;
            if (l < layers)
            {
                a[l] = [.. sites[l - 1].A.Select(x => x / eta)];
                b[l] = [.. sites[l].BBelow.Select(x => x / eta)];
            }
        }

        return new NonlinearSaddle(layers, points, trajectory.Steps, trajectory.Gamma0, eta, inputGram, trajectory.Centered, delta, phi, g, a, b)
        {
            TestCount = trajectory.TestCount,
        };
    }

    /// <summary>
    /// N Var of Delta_mu(n), the NTK K_{mu nu}(n) and the equal-time kernels Phi^l_{mu nu}(n, n), G^l_{mu nu}(n, n) for
    /// mu &lt;= nu, and for several points N Cov(Delta_mu(n), Delta_nu(n)); the point indices are left out of the names
    /// for one point.
    /// </summary>
    internal static IEnumerable<(string Name, Func<DeepLinearFluctuations, double> Read)> Entries(int steps, int layers, int points = 1)
    {
        for (int n = 0; n <= steps; n++)
        {
            int step = n;
            for (int mu = 0; mu < points; mu++)
            {
                for (int nu = mu; nu < points; nu++)
                {
                    int a = mu, b = nu;
                    string ab = points == 1 ? "" : $"_{mu + 1}{nu + 1}";
                    yield return mu == nu
                        ? ($"N Var Delta{(points == 1 ? "" : $"_{mu + 1}")}({n})", f => f.DeltaVariance(step, a))
                        : ($"N Cov Delta_{mu + 1}, Delta_{nu + 1}({n})", f => f.PredictionCovariance(step, a, step, b));
                    yield return ($"N Var K{ab}({n})", f => f.NtkVariance(step, a, b));
                    for (int l = 1; l <= layers; l++)
                    {
                        int layer = l;
                        yield return ($"N Var Phi^{l}{ab}({n},{n})", f => f.KernelVariance(new KernelEntry(KernelKind.Feature, layer, step, step, a, b)));
                        yield return ($"N Var G^{l}{ab}({n},{n})", f => f.KernelVariance(new KernelEntry(KernelKind.Gradient, layer, step, step, a, b)));
                    }
                }
            }
        }
    }
}
