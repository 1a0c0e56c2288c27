using FieldTheory.Fluctuations.DeepLinear;
using FieldTheory.Fluctuations.DeepNonlinear;
using FieldTheory.Theory.Deep;
using FieldTheory.Theory.DeepLinear;
using Xunit.Abstractions;

namespace FieldTheory.DeepFluctuations.Tests;

/// <summary>
/// Test points in the deep nonlinear propagator (docs/deep-nonlinear-fluctuations.md, "Test points"): extra positions of
/// every layer's forward pass that never receive a Delta; their predictions are observable rows of Sigma.
/// </summary>
public sealed class TestPointTests(ITestOutputHelper output)
{
    /// <summary>
    /// phi(h) = h, one training point x_1 = (1, 1) and one test point x_2 = (1.4, 0) (K^x_12 = 0.7, not parallel):
    /// N Var f_test(n) against the deep linear propagator's test variances (<see cref="TestPredictionVariance"/>, by
    /// linearity in the input), and every training entry against the deep linear propagator.
    /// </summary>
    [Fact]
    public void LinearActivationReproducesTheDeepLinearTestVariances() =>
        Check(train: 1, steps: 4, fieldSamples: 20000, tangentSamples: 4000);

    /// <summary>Two training points (<see cref="TwoPoints"/>) and a test point x* = (0.5, -1) correlated with both (K^x: -0.25, 0.35; 0.625).</summary>
    [Fact]
    public void LinearActivationReproducesTheDeepLinearTestVariancesWithTwoTrainingPoints() =>
        Check(train: 2, steps: 3, fieldSamples: 10000, tangentSamples: 2000);

    /// <summary>
    /// A test point identical to the training point (tanh, sampled saddle): its prediction is the training prediction path
    /// by path, so N Var f_test(n) and N Cov(f_train(n), f_test(n)) must equal N Var f_train(n) to far below the
    /// sampling error (only the Cholesky jitter of the singular input Gram separates them).
    /// </summary>
    [Fact]
    public void ATestPointEqualToTheTrainingPointHasItsVariance()
    {
        const int steps = 4;
        var data = new Data.InlineData(1, [1.0], [1.0], [1.0], null);
        NonlinearPropagator propagator = DeepNonlinearFluctuations.Replica(TestModels.Tanh, Data.DataFactory.Build(data).InputGram(), [1.0], gamma0: 1.0, eta: 0.1, steps,
            centered: false, DeepFluctuationBudget.FromSites(20000, 7), fieldSeed: 8, tangentSeed: 9, responseCoupling: true, uncoupledToo: false, default);
        DeepLinearFluctuations fluctuations = propagator.Fluctuations;
        for (int n = 0; n <= steps; n++)
        {
            double train = fluctuations.DeltaVariance(n), test = fluctuations.TestPredictionCovariance(n, 0, n, 0);
            double cross = fluctuations.PredictionCovariance(n, 0, n, 1);
            output.WriteLine($"n = {n}: N Var f_train {train:F6}, N Var f_test {test:F6}, N Cov {cross:F6}");
            // One replica at 20000 sites has a relative standard error of a few percent; path-by-path equality holds to 1e-4.
            Assert.Equal(train, test, 1e-4 * train);
            Assert.Equal(train, cross, 1e-4 * train);
        }
    }

    /// <summary>One training point and two test points (x = (1.4, 0) and (0.5, -1) against x_1 = (1, 1), over 2): f_test of both.</summary>
    [Fact]
    public void LinearActivationReproducesTheDeepLinearVariancesOfTwoTestPoints() =>
        Check(train: 1, steps: 3, fieldSamples: 10000, tangentSamples: 2000, tests: 2);

    /// <summary>Centered (f - f(0) at every position, test points included) with one training and one test point.</summary>
    [Fact]
    public void LinearActivationReproducesTheCenteredDeepLinearTestVariances() =>
        Check(train: 1, steps: 4, fieldSamples: 20000, tangentSamples: 4000, centered: true);

    private void Check(int train, int steps, int fieldSamples, int tangentSamples, int tests = 1, bool centered = false)
    {
        const double gamma0 = 1.0, eta = 0.1;
        const int layers = 2, replicas = 8;
        double[] gram = train + tests == 2
            ? [1.0, 0.7, 0.7, 0.98]
            : [1.0, 0.7, -0.25, 0.7, 0.98, 0.35, -0.25, 0.35, 0.625];
        double[] y = train == 1 ? [1.0] : TwoPoints.Y;
        int points = train + tests;
        double[] trainGram = [.. Enumerable.Range(0, train * train).Select(k => gram[k / train * points + k % train])];
        DeepLinearFluctuations exact = DeepLinearPropagator.Compute(layers, trainGram, y, gamma0, eta, steps, centered);
        double[][] expectedTest = TestPredictionVariance.Of(exact, gram, train, tests, gamma0);
        DeepTrajectory trajectory = DeepLinearSolver.Solve(layers, gram, train, y, gamma0, eta, steps, centered, default, null);
        NonlinearSaddle saddle = LinearLimitTests.LinearSaddle(trajectory, layers, gram);
        var samples = new List<DeepLinearFluctuations>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int r = 0; r < replicas; r++)
        {
            samples.Add(DeepNonlinearPropagator.Compute(TestModels.Linear, saddle, trajectory, new PropagatorSampling(fieldSamples, tangentSamples, (ulong)(300 + r))).Fluctuations);
        }

        output.WriteLine($"P = {train}, {tests} test point(s), T = {steps}{(centered ? ", centered" : string.Empty)}: {replicas} replicas in {clock.Elapsed.TotalSeconds:F1} s");
        var entries = LinearLimitTests.Entries(steps, layers, train)
            .Select(e => (e.Name, e.Read, Expected: e.Read(exact)))
            .Concat(Enumerable.Range(0, steps + 1).SelectMany(n => Enumerable.Range(0, tests).Select(j =>
                ($"N Var f_test{j + 1}({n})", (Func<DeepLinearFluctuations, double>)(f => f.TestPredictionCovariance(n, j, n, j)), expectedTest[n][j]))));
        double worst = 0;
        int count = 0;
        foreach ((string name, Func<DeepLinearFluctuations, double> read, double expected) in entries)
        {
            double[] values = [.. samples.Select(read)];
            double mean = values.Average();
            double se = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (replicas - 1) / replicas);
            output.WriteLine($"{name}: exact {expected:F5}  sampled {mean:F5} +- {se:F5}");
            worst = se > 0 ? Math.Max(worst, Math.Abs(mean - expected) / se) : worst;
            count++;
            // Student t with 7 degrees of freedom: |t| > 4.5 has probability 0.003 per entry.
            Assert.True(Math.Abs(mean - expected) <= 4.5 * se + 1e-9, $"{name}: sampled {mean:F5} +- {se:F5} vs exact {expected:F5}");
        }

        output.WriteLine($"{count} entries, largest |sampled - exact| {worst:F2} SE");
    }
}
