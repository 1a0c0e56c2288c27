using FieldTheory.Fluctuations.DeepLinear;
using Xunit.Abstractions;

namespace FieldTheory.Fluctuations.Tests.DeepLinear;

/// <summary>
/// The deep linear propagator against finite-width ensembles (x = y = 1): N Var Delta(n) and N Var K(n) from two widths,
/// extrapolated linearly in 1/N (v_inf = 2 v_2N - v_N, which removes the O(1/N) correction), must agree with the
/// propagator within 3 standard errors (relative SE of a variance sqrt(2 / (E - 1)), propagated through the
/// extrapolation); the propagator without J must not.
/// </summary>
public sealed class DeepLinearEnsembleTests(ITestOutputHelper output)
{
    [Fact]
    public void TwoHiddenLayersAgreeWithEnsembles() => Check(layers: 2, gamma0: 1.0, centered: false, width: 64, members: 4000, steps: 5);

    [FullFact]
    public void TwoHiddenLayersAgreeWithLargeEnsemblesAcrossGamma0()
    {
        foreach (double gamma0 in new[] { 0.25, 1.0, 2.0 })
        {
            Check(layers: 2, gamma0, centered: false, width: 64, members: 16000, steps: 6);
            Check(layers: 2, gamma0, centered: true, width: 64, members: 16000, steps: 6);
        }
    }

    [FullFact]
    public void ThreeHiddenLayersAgreeWithLargeEnsembles() => Check(layers: 3, gamma0: 1.0, centered: false, width: 64, members: 16000, steps: 5);

    private void Check(int layers, double gamma0, bool centered, int width, int members, int steps)
    {
        const double eta = 0.1;
        DeepLinearFluctuations theory = DeepLinearPropagator.Compute(layers, [1.0], [1.0], gamma0, eta, steps, centered);
        DeepLinearFluctuations withoutJ = DeepLinearPropagator.Compute(layers, [1.0], [1.0], gamma0, eta, steps, centered, responseCoupling: false);
        (double[][] deltaN, double[][] ntkN) = DeepLinearEnsemble.Train(layers, width, members, gamma0, eta, steps, centered, seed: 11);
        (double[][] delta2N, double[][] ntk2N) = DeepLinearEnsemble.Train(layers, 2 * width, members, gamma0, eta, steps, centered, seed: 12);

        int rejectedWithoutJ = 0;
        for (int n = 0; n <= steps; n++)
        {
            if (centered && n == 0)
            {
                continue;
            }

            // The ensemble mean error must follow the saddle (a check of the simulation's conventions).
            double meanDelta = delta2N.Average(d => d[n]);
            double seMean = Math.Sqrt(ScaledVariance(delta2N, n, 1) / members);
            Assert.True(Math.Abs(meanDelta - theory.Saddle.Delta[n][0]) < 4 * seMean + 2.0 / (2 * width),
                $"n = {n}: ensemble mean Delta {meanDelta:F5} vs saddle {theory.Saddle.Delta[n][0]:F5}");

            rejectedWithoutJ += Compare("N Var Delta", n, theory.DeltaVariance(n), withoutJ.DeltaVariance(n), deltaN, delta2N, width, members);
            rejectedWithoutJ += Compare("N Var K", n, theory.NtkVariance(n), withoutJ.NtkVariance(n), ntkN, ntk2N, width, members);
        }

        Assert.True(rejectedWithoutJ > 0, "the propagator without J should disagree with the ensembles somewhere");
    }

    // Returns 1 when the no-J prediction is more than 3 SE away from the extrapolated ensemble value.
    private int Compare(string name, int n, double expected, double expectedWithoutJ, double[][] samplesN, double[][] samples2N, int width, int members)
    {
        double vN = ScaledVariance(samplesN, n, width), v2N = ScaledVariance(samples2N, n, 2 * width);
        double relative = Math.Sqrt(2.0 / (members - 1));
        double extrapolated = 2 * v2N - vN;
        double se = relative * Math.Sqrt(4 * v2N * v2N + vN * vN);
        output.WriteLine($"{name}({n}): N={width} {vN:F4}  N={2 * width} {v2N:F4}  extrapolated {extrapolated:F4} +- {se:F4}  theory {expected:F4}  without J {expectedWithoutJ:F4}");
        Assert.True(Math.Abs(extrapolated - expected) <= 3 * se,
            $"{name}({n}): extrapolated ensemble {extrapolated:F4} +- {se:F4} vs propagator {expected:F4}");
        return Math.Abs(extrapolated - expectedWithoutJ) > 3 * se ? 1 : 0;
    }

    private static double ScaledVariance(double[][] samples, int n, int width)
    {
        double mean = samples.Average(s => s[n]);
        double sum = samples.Sum(s => (s[n] - mean) * (s[n] - mean));
        return width * sum / (samples.Length - 1);
    }
}
