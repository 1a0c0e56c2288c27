using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Fluctuations.Lazy;
using FieldTheory.Fluctuations.TwoLayer;
using Xunit.Abstractions;
using Propagation = FieldTheory.Fluctuations.TwoLayer.TwoLayerFluctuations;

namespace FieldTheory.TwoLayerFluctuations.Tests;

/// <summary>
/// The universal lazy-limit form (DESIGN.md 4.4): its one-point closed forms, its continuous-time limit, and the full
/// two-layer propagator tending to it as gamma0 -> 0 in the centered convention.
/// </summary>
public sealed class LazyLimitTests(ITestOutputHelper output)
{
    [Fact]
    public void OnePointMatchesTheClosedForms()
    {
        const double Lambda = 1.7;
        const double Kappa = 0.9;
        const double Y = 1.3;
        const double Eta = 0.05;
        LazyFluctuationResult discrete = LazyFluctuations.Discrete([Lambda], [Kappa], 1, [Y], Eta, 60);
        for (int n = 0; n <= 60; n++)
        {
            double f = n == 0 ? 0.0 : n * Eta * Math.Pow(1 - (Eta * Lambda), n - 1);
            Assert.Equal(Kappa * Y * Y * f * f, discrete.NvarDelta[n][0], 12);
            Assert.Equal(Y * Math.Pow(1 - (Eta * Lambda), n), discrete.Delta[n][0], 12);
        }

        double[] times = [0.0, 0.3, 1 / Lambda, 2.0, 5.0];
        LazyFluctuationResult continuous = LazyFluctuations.Continuous([Lambda], [Kappa], 1, [Y], times);
        for (int i = 0; i < times.Length; i++)
        {
            double t = times[i];
            Assert.Equal(Kappa * Y * Y * t * t * Math.Exp(-2 * Lambda * t), continuous.NvarDelta[i][0], 12);
        }
    }

    [Fact]
    public void DiscreteTimeTendsToGradientFlow()
    {
        double[] kernel = [1.4, 0.3, 0.3, 0.6, 0.2, -0.4];
        double[] kappa = RandomCovariance(6, seed: 4);
        double[] y = [1.0, -0.7];
        const double T = 1.5;
        double previous = double.PositiveInfinity;
        foreach (double eta in new[] { 0.01, 0.005 })
        {
            int steps = (int)Math.Round(T / eta);
            LazyFluctuationResult discrete = LazyFluctuations.Discrete(kernel, kappa, 2, y, eta, steps);
            LazyFluctuationResult continuous = LazyFluctuations.Continuous(kernel, kappa, 2, y, [T]);
            double error = Math.Abs(discrete.NvarDelta[steps][0] - continuous.NvarDelta[0][0]) + Math.Abs(discrete.NvarDelta[steps][1] - continuous.NvarDelta[0][1]);
            Assert.True(error < 0.6 * previous, $"eta = {eta}: discrete-continuous gap {error:G3} did not shrink like eta (previous {previous:G3})");
            Assert.True(error < 0.05 * continuous.NvarDelta[0].Sum(), $"eta = {eta}: gap {error:G3}");
            previous = error;
        }
    }

    [Fact]
    public void FullPropagatorTendsToTheLazyForm()
    {
        var data = new Dataset(2, [1.0, 0.2, 0.3, 1.1], [1.0, -0.5], [-0.6, 0.9], [0.2]);
        const double Eta = 0.2;
        const int Steps = 30;
        double Gap(double gamma0)
        {
            // A smooth (lazy) problem: the rotated product grids integrate it far better than QMC of the same size.
            var spec = new TheorySpec(32768, IntegrationMethod.Quadrature, 1, false, true, false);
            var experiment = new Experiment(new ModelReference("TwoLayerTanh", null), new InlineData(2, data.X, data.Y, data.TestX, data.TestY), gamma0, Eta, Steps, true, false, 0, null, spec);
            FluctuationResult full = Propagation.Solve(experiment, Problems.Tanh, data, new FluctuationOptions(), null, default);
            LazyFluctuationResult lazy = LazyFluctuations.ForTwoLayer(experiment, Problems.Tanh, data);
            double gap = 0.0;
            double scale = 0.0;
            for (int n = 0; n <= Steps; n++)
            {
                for (int a = 0; a < 2; a++)
                {
                    gap = Math.Max(gap, Math.Abs(full.Nvar.Delta[n][a] - lazy.NvarDelta[n][a]));
                    scale = Math.Max(scale, lazy.NvarDelta[n][a]);
                }

                gap = Math.Max(gap, Math.Abs(full.Nvar.TestF![n][0] - lazy.NvarTestF![n][0]));
                scale = Math.Max(scale, lazy.NvarTestF![n][0]);
            }

            return gap / scale;
        }

        double coarse = Gap(0.02);
        double fine = Gap(0.01);
        output.WriteLine($"max |full - lazy| / max variance: {coarse:P3} at gamma0 = 0.02, {fine:P3} at gamma0 = 0.01");
        Assert.True(fine < 2e-3, $"gamma0 = 0.01: full propagator and lazy form differ by {fine:P2} of the largest variance");
        Assert.True(fine < 0.35 * coarse, $"the gap did not shrink like gamma0^2: {coarse:P3} at 0.02, {fine:P3} at 0.01");
    }

    [Fact]
    public void OnQmcSitesTheLazyFormUsesEveryScrambling()
    {
        // Three gaussian points and a test point in D = 3: the Gaussian is 4-dimensional; "auto" takes 8 scrambled QMC
        // groups. With the first group's sites alone the lazy form was 11% of the peak variance away from the
        // propagator at gamma0 = 0.01 (the integration error of 512 sites); over all groups, 0.14% with 16384 sites
        // (1.4% with 4096 sites in mirror pairs, whose own error estimate is 6%: the two combine the groups differently,
        // the lazy form pooling the moments, the propagator averaging each group's N Var).
        var spec = new TheorySpec(16384, IntegrationMethod.Auto, 1, false, true, false);
        var data = new GaussianData(Dimension: 3, Train: 3, Test: 1, TeacherKind.Tanh, Noise: 0.0, Seed: 5);
        var experiment = new Experiment(new ModelReference("TwoLayerTanh", null), data, 0.01, 0.1, 40, true, false, 0, null, spec);
        Dataset built = DataFactory.Build(data);
        FluctuationResult full = Propagation.Solve(experiment, Problems.Tanh, built, new FluctuationOptions(), null, default);
        LazyFluctuationResult lazy = LazyFluctuations.ForTwoLayer(experiment, Problems.Tanh, built);
        Assert.Contains("quasi-Monte Carlo", full.Method, StringComparison.Ordinal);
        double scale = lazy.NvarDelta.SelectMany(r => r).Max();
        double gap = Enumerable.Range(0, 41).SelectMany(n => Enumerable.Range(0, 3).Select(a => Math.Abs(full.Nvar.Delta[n][a] - lazy.NvarDelta[n][a]))).Max();
        output.WriteLine($"max |full - lazy| / max variance: {gap / scale:P3}");
        Assert.True(gap < 0.01 * scale, $"full propagator and lazy form differ by {gap / scale:P2} of the largest variance");
    }

    private static double[] RandomCovariance(int n, int seed)
    {
        var random = new Random(seed);
        var a = new double[n * n];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = random.NextDouble() - 0.5;
        }

        var c = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int k = 0; k < n; k++)
                {
                    c[(i * n) + j] += a[(i * n) + k] * a[(j * n) + k];
                }
            }
        }

        return c;
    }
}
