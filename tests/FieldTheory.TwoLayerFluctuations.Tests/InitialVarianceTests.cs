using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Fluctuations.TwoLayer;
using Propagation = FieldTheory.Fluctuations.TwoLayer.TwoLayerFluctuations;

namespace FieldTheory.TwoLayerFluctuations.Tests;

/// <summary>
/// At n = 0 the propagator reduces to site covariances with known values (DESIGN.md 2, 4.2): uncentered,
/// N Var f_mu(0) = Phi_{mu mu}(0, 0) / gamma0^2 (also on test points); centered, zero; and
/// N Var K(0) = Var(phi^2 + K^x w^2 phi'^2) over h ~ N(0, K^x), w ~ N(0, 1). The expected values are one-dimensional
/// Gaussian integrals of tanh computed here by the trapezoid rule (spectrally accurate for these integrands).
/// </summary>
public sealed class InitialVarianceTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void UncenteredOutputVarianceIsPhiOverGammaSquared(double gamma0)
    {
        Dataset data = Problems.ThreePoints();
        FluctuationResult result = Solve(data, gamma0, centered: false);
        double[] gram = data.InputGram();
        int q = data.Count + data.TestCount;
        for (int mu = 0; mu < q; mu++)
        {
            double variance = gram[(mu * q) + mu];
            double phi = Gaussian(z => Math.Pow(Math.Tanh(Math.Sqrt(variance) * z), 2));
            double theory = mu < data.Count ? result.Nvar.Delta[0][mu] : result.Nvar.TestF![0][mu - data.Count];
            double error = mu < data.Count ? result.NvarError.Delta[0][mu] : result.NvarError.TestF![0][mu - data.Count];
            Assert.True(Math.Abs(theory - (phi / (gamma0 * gamma0))) <= 1e-9 + (4 * error), $"point {mu}: N Var f(0) = {theory:G12}, Phi/gamma0^2 = {phi / (gamma0 * gamma0):G12}");
        }
    }

    [Fact]
    public void CenteredOutputsDoNotFluctuateAtInitialisation()
    {
        FluctuationResult result = Solve(Problems.ThreePoints(), 1.0, centered: true);
        Assert.All(result.Nvar.Delta[0], v => Assert.True(Math.Abs(v) < 1e-14));
        Assert.All(result.Nvar.TestF![0], v => Assert.True(Math.Abs(v) < 1e-14));
        Assert.True(Math.Abs(result.Nvar.Loss[0]) < 1e-14);
    }

    [Fact]
    public void NtkVarianceAtInitialisationIsASiteVariance()
    {
        FluctuationResult result = Solve(DataFactory.Build(new ScalarData(1.0, 1.0)), 1.0, centered: false);
        double phi2 = Gaussian(z => Math.Pow(Math.Tanh(z), 2));
        double phi4 = Gaussian(z => Math.Pow(Math.Tanh(z), 4));
        double slope2 = Gaussian(z => Math.Pow(1 - Math.Pow(Math.Tanh(z), 2), 2));
        double slope4 = Gaussian(z => Math.Pow(1 - Math.Pow(Math.Tanh(z), 2), 4));
        double mixed = Gaussian(z => Math.Pow(Math.Tanh(z), 2) * Math.Pow(1 - Math.Pow(Math.Tanh(z), 2), 2));
        double expected = phi4 + (2 * mixed) + (3 * slope4) - Math.Pow(phi2 + slope2, 2);
        Assert.True(Math.Abs(result.Nvar.Ntk[0][0][0] - expected) <= 1e-9 + (4 * result.NvarError.Ntk[0][0][0]), $"N Var K(0) = {result.Nvar.Ntk[0][0][0]:G12}, expected {expected:G12}");
        Assert.True(Math.Abs(result.Nvar.FeatureKernel![0][0][0][0] - (phi4 - (phi2 * phi2))) <= 1e-9 + (4 * result.NvarError.FeatureKernel![0][0][0][0]), "N Var Phi(0) = Var tanh^2");
    }

    private static FluctuationResult Solve(Dataset data, double gamma0, bool centered)
    {
        var spec = new InlineData(data.Dimension, data.X, data.Y, data.TestX, data.TestY);
        var experiment = new Experiment(new ModelReference("TwoLayerTanh", null), spec, gamma0, 0.1, 3, centered, false, 0, null, new TheorySpec(4096, IntegrationMethod.Auto, 1, false, true, false));
        return Propagation.Solve(experiment, Problems.Tanh, data, new FluctuationOptions(), null, default);
    }

    // E g(z), z ~ N(0, 1), by the trapezoid rule on [-12, 12].
    private static double Gaussian(Func<double, double> g)
    {
        const int Points = 4001;
        const double Limit = 12.0;
        double step = 2 * Limit / (Points - 1);
        double sum = 0.0;
        for (int i = 0; i < Points; i++)
        {
            double z = -Limit + (i * step);
            sum += g(z) * Math.Exp(-0.5 * z * z);
        }

        return sum * step / Math.Sqrt(2 * Math.PI);
    }
}
