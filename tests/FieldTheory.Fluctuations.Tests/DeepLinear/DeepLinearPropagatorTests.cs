using FieldTheory.Experiments;
using FieldTheory.Fluctuations.DeepLinear;
using FieldTheory.Results;

namespace FieldTheory.Fluctuations.Tests.DeepLinear;

/// <summary>The deep linear propagator (DESIGN.md 4.5) against answers known independently of the code (x = y = 1).</summary>
public sealed class DeepLinearPropagatorTests
{
    [Theory]
    [InlineData(2, 0.5)]
    [InlineData(2, 2.0)]
    [InlineData(3, 1.0)]
    public void InitialVariancesHaveClosedForms(int layers, double gamma0)
    {
        DeepLinearFluctuations uncentered = DeepLinearPropagator.Compute(layers, [1.0], [1.0], gamma0, 0.1, 2, centered: false);
        DeepLinearFluctuations centered = DeepLinearPropagator.Compute(layers, [1.0], [1.0], gamma0, 0.1, 2, centered: true);

        Assert.Equal(2.0 / 3 * layers * (layers + 1) * (2 * layers + 1), uncentered.NtkVariance(0), 1e-10);
        Assert.Equal(1 / (gamma0 * gamma0), uncentered.DeltaVariance(0), 1e-10);
        Assert.Equal(0, centered.DeltaVariance(0), 1e-12);
        for (int l = 1; l <= layers; l++)
        {
            Assert.Equal(2 * l, uncentered.KernelVariance(KernelEntry.Feature(l, 0)), 1e-10);
            Assert.Equal(2 * (layers + 1 - l), uncentered.KernelVariance(KernelEntry.Gradient(l, 0)), 1e-10);
        }
    }

    [Fact]
    public void ThePredictionLayerDoesNotChangeTheKernelAndPredictionBlock()
    {
        const int layers = 3, steps = 3;
        DeepLinearFluctuations[] byLayer = [.. Enumerable.Range(1, layers).Select(l =>
            DeepLinearPropagator.Compute(layers, [1.0], [1.0], 1.0, 0.1, steps, centered: false, predictionLayer: l))];
        var entries = new List<KernelEntry>();
        for (int l = 1; l <= layers; l++)
        {
            for (int n = 0; n <= steps; n++)
            {
                for (int m = 0; m <= n; m++)
                {
                    entries.Add(new KernelEntry(KernelKind.Feature, l, n, m));
                    entries.Add(new KernelEntry(KernelKind.Gradient, l, n, m));
                }
            }
        }

        foreach (DeepLinearFluctuations other in byLayer[..^1])
        {
            DeepLinearFluctuations reference = byLayer[^1];
            foreach (KernelEntry a in entries)
            {
                foreach (KernelEntry b in entries)
                {
                    Assert.Equal(reference.KernelCovariance(a, b), other.KernelCovariance(a, b), 1e-10);
                }
            }

            for (int n = 0; n <= steps; n++)
            {
                for (int m = 0; m <= steps; m++)
                {
                    Assert.Equal(reference.PredictionCovariance(n, 0, m, 0), other.PredictionCovariance(n, 0, m, 0), 1e-10);
                }
            }
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void TwoHiddenLayersAreSelfDual(double gamma0)
    {
        // DESIGN.md 3.3 and 4.5: for L = 2, x = y = 1 the forward and backward chains mirror each other, H^l <-> G^{3-l}.
        const int steps = 4;
        DeepLinearFluctuations fluctuations = DeepLinearPropagator.Compute(2, [1.0], [1.0], gamma0, 0.1, steps, centered: false);
        for (int n = 0; n <= steps; n++)
        {
            for (int m = 0; m <= steps; m++)
            {
                foreach ((int l, int k) in new[] { (1, 1), (1, 2), (2, 2) })
                {
                    double forward = fluctuations.KernelCovariance(Kernel(KernelKind.Feature, l, n), Kernel(KernelKind.Feature, k, m));
                    double backward = fluctuations.KernelCovariance(Kernel(KernelKind.Gradient, 3 - l, n), Kernel(KernelKind.Gradient, 3 - k, m));
                    Assert.Equal(forward, backward, 1e-10 * Math.Max(1, Math.Abs(forward)));
                }
            }
        }
    }

    [Fact]
    public void DroppingTheResponseCouplingChangesTheNtkVarianceAsDesignStates()
    {
        // DESIGN.md 4.5: two hidden layers, gamma0 = 1, N Var K(t = 0.5) is 24.4 with J and 32.7 without (eta = 0.05).
        const double eta = 0.05;
        const int steps = 10;
        DeepLinearFluctuations with = DeepLinearPropagator.Compute(2, [1.0], [1.0], 1.0, eta, steps, centered: false);
        DeepLinearFluctuations without = DeepLinearPropagator.Compute(2, [1.0], [1.0], 1.0, eta, steps, centered: false, responseCoupling: false);
        Assert.Equal(24.4, with.NtkVariance(steps), 0.05);
        Assert.Equal(32.7, without.NtkVariance(steps), 0.05);
        Assert.Equal(with.NtkVariance(0), without.NtkVariance(0), 1e-10);
    }

    [Fact]
    public void SignalToNoiseRisesWithGamma0InEveryLayer()
    {
        const int steps = 12;
        double[] gamma0s = [0.25, 1.0, 2.0];
        DeepLinearFluctuations[] runs = [.. gamma0s.Select(g => DeepLinearPropagator.Compute(2, [1.0], [1.0], g, 0.1, steps, centered: false))];
        for (int l = 1; l <= 2; l++)
        {
            Assert.Equal(1.0 / (2 * l), runs[0].SignalToNoise(l, 0), 1e-10);
            for (int k = 1; k < runs.Length; k++)
            {
                Assert.True(runs[k].SignalToNoise(l, steps) > runs[k - 1].SignalToNoise(l, steps),
                    $"layer {l}: SNR at gamma0 = {gamma0s[k]} should exceed that at {gamma0s[k - 1]}");
            }
        }
    }

    [Fact]
    public void NvarSeriesCarriesTheVariances()
    {
        const int steps = 3;
        DeepLinearFluctuations fluctuations = DeepLinearPropagator.Compute(2, [1.0], [1.0], 1.0, 0.1, steps, centered: false);
        Series series = fluctuations.ToNvarSeries();
        Assert.Equal(steps + 1, series.Delta.Length);
        Assert.Equal(1.0, series.Delta[0][0], 1e-10);
        Assert.Equal(20.0, series.Ntk[0][0][0], 1e-10);
        Assert.Equal(fluctuations.DeltaVariance(steps), series.F[steps][0]);
        double delta = fluctuations.Saddle.Delta[steps][0];
        Assert.Equal(delta * delta * fluctuations.DeltaVariance(steps), series.Loss[steps], 1e-12);
        Assert.Equal(4.0, series.FeatureKernel![1][0][0][0], 1e-10);
        Assert.Equal(4.0, series.GradientKernel![0][0][0][0], 1e-10);
    }

    [Fact]
    public void ProblemsTooLargeForDenseAlgebraAreRefused()
    {
        var error = Assert.Throws<ExperimentException>(() => DeepLinearPropagator.Compute(2, [1.0], [1.0], 1.0, 0.01, 200, centered: false));
        Assert.Equal("theory.fluctuations", error.Field);
        Assert.Contains("dim q", error.Message);
    }

    private static KernelEntry Kernel(KernelKind kind, int layer, int n) => new(kind, layer, n, n);
}
