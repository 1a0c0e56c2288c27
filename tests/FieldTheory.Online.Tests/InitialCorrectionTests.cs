using FieldTheory.Experiments;
using FieldTheory.Theory.Online;

namespace FieldTheory.Online.Tests;

/// <summary>
/// At n = 0 the expected loss shift is known in closed form for any N: f_N(x, 0) has mean 0 and variance
/// E[w^2 phi(h)^2] / (gamma0^2 N), so C(0) = 1/2 E_{x, W} tanh(W . x / sqrt D)^2 (DESIGN.md section 2, gamma0 = 1).
/// </summary>
public sealed class InitialCorrectionTests
{
    [Fact]
    public void InitialCorrectionEqualsHalfTheInitialOutputVariance()
    {
        (double exact, double standardError) = MonteCarloHalfMeanSquare(samples: 1 << 21, dimension: 2, seed: 17);
        double fine = InitialCorrection(sites: 4096);
        double coarse = InitialCorrection(sites: 512);
        double tolerance = (4 * standardError) + Math.Abs(fine - coarse);
        Assert.InRange(fine, exact - tolerance, exact + tolerance);
    }

    private static double InitialCorrection(int sites)
    {
        Experiment experiment = OnlineExperiments.Verified(steps: 1, batch: 8, sites);
        (_, OnlineCorrection c) = OnlineTheory.Correction(experiment, OnlineExperiments.TwoLayerTanh, OnlineGradient.Population, directions: 3, correctionSites: null, null, CancellationToken.None);
        return c.C[0];
    }

    /// <summary>1/2 E tanh(W . x / sqrt D)^2 over W, x ~ N(0, I_D) by plain Monte Carlo, with its standard error.</summary>
    private static (double Mean, double StdErr) MonteCarloHalfMeanSquare(int samples, int dimension, int seed)
    {
        var random = new Random(seed);
        double sum = 0.0;
        double squares = 0.0;
        for (int s = 0; s < samples; s++)
        {
            double h = 0.0;
            for (int k = 0; k < dimension; k++)
            {
                h += Gaussian(random) * Gaussian(random);
            }

            double v = 0.5 * Math.Pow(Math.Tanh(h / Math.Sqrt(dimension)), 2);
            sum += v;
            squares += v * v;
        }

        double mean = sum / samples;
        return (mean, Math.Sqrt(((squares / samples) - (mean * mean)) / samples));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
