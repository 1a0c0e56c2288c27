using FieldTheory.Theory.Integration;

namespace FieldTheory.Theory.Tests;

public sealed class IntegrationRuleTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(40)]
    [InlineData(300)]
    public void GaussHermiteIntegratesNormalMomentsExactly(int n)
    {
        (double[] x, double[] w) = GaussHermite.Rule(n);
        for (int k = 0; k <= Math.Min(2 * n - 1, 12); k++)
        {
            double moment = x.Zip(w, (xi, wi) => wi * Math.Pow(xi, k)).Sum();
            double expected = k % 2 == 1 ? 0.0 : DoubleFactorial(k - 1);
            Assert.True(Math.Abs(moment - expected) <= 1e-12 * Math.Max(1.0, expected), $"n = {n}, E z^{k} = {moment}, expected {expected}");
        }
    }

    [Fact]
    public void GaussLegendreIntegratesPolynomialsExactly()
    {
        (double[] x, double[] w) = GaussLegendre.Rule(12);
        for (int k = 0; k <= 23; k++)
        {
            double integral = x.Zip(w, (xi, wi) => wi * Math.Pow(xi, k)).Sum();
            double expected = k % 2 == 1 ? 0.0 : 2.0 / (k + 1);
            Assert.True(Math.Abs(integral - expected) <= 1e-14, $"int x^{k} = {integral}, expected {expected}");
        }
    }

    [Theory]
    [InlineData(1e-300)]
    [InlineData(1e-10)]
    [InlineData(0.01)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.97)]
    [InlineData(1 - 1e-12)]
    public void NormalQuantileInvertsTheCdf(double p)
    {
        double x = InverseNormal.Quantile(p);
        double back = x < 0 ? 0.5 * SpecialFunctions.Erfc(-x / Math.Sqrt(2.0)) : 1.0 - (0.5 * SpecialFunctions.Erfc(x / Math.Sqrt(2.0)));
        Assert.True(Math.Abs(back - p) <= 1e-13 * Math.Min(p, 1 - p) + 1e-16, $"Phi({x}) = {back}, expected {p}");
    }

    [Fact]
    public void RandomRotationsAreOrthogonalAndIndependentPerReplicate()
    {
        const int d = 5;
        double[] first = SiteRules.RandomRotation(d, 7, 0);
        double[] second = SiteRules.RandomRotation(d, 7, 1);
        foreach (double[] q in new[] { first, second })
        {
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    double dot = Enumerable.Range(0, d).Sum(k => q[(i * d) + k] * q[(j * d) + k]);
                    Assert.Equal(i == j ? 1.0 : 0.0, dot, 1e-14);
                }
            }
        }

        Assert.True(first.Zip(second, (a, b) => Math.Abs(a - b)).Max() > 0.1, "two replicates share a rotation");
        Assert.Equal(first, SiteRules.RandomRotation(d, 7, 0));
    }

    [Fact]
    public void EveryGroupOfEveryRuleIsANormalisedRuleWithUnitCovariance()
    {
        const int d = 3;
        foreach ((SiteRule rule, bool exact) in new[] { (SiteRules.ProductGrid(8192, d, 3), true), (SiteRules.ScrambledHalton(8192, d, 3), false), (SiteRules.AntitheticMonteCarlo(8192, d, 3), false) })
        {
            Assert.Equal(SiteRules.Replicates, rule.Groups);
            for (int g = 0; g < rule.Groups; g++)
            {
                int start = rule.GroupStart[g];
                int count = rule.GroupStart[g + 1] - start;
                double total = 0.0;
                var second = new double[d * d];
                for (int i = start; i < start + count; i++)
                {
                    total += rule.Weights[i];
                    for (int a = 0; a < d; a++)
                    {
                        for (int b = 0; b < d; b++)
                        {
                            second[(a * d) + b] += rule.Weights[i] * rule.Nodes[(i * d) + a] * rule.Nodes[(i * d) + b];
                        }
                    }
                }

                Assert.Equal(1.0, total, 1e-12);

                // Exact for the grid; for samples, within 6 standard errors of a second moment (sd <= sqrt 2 per sample).
                double tolerance = exact ? 1e-12 : 6.0 * Math.Sqrt(2.0 / count);
                for (int a = 0; a < d; a++)
                {
                    for (int b = 0; b < d; b++)
                    {
                        Assert.True(Math.Abs(second[(a * d) + b] - (a == b ? 1.0 : 0.0)) <= tolerance, $"{rule.Description}: group {g}, E z{a} z{b} = {second[(a * d) + b]}");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void QuasiMonteCarloOrbitsIntegrateFunctionsOddInTheReadOutOrInAllCoordinatesToZero(int d)
    {
        // w phi(h) with w the last coordinate: E = 0 for any phi (f(0) = 0 at infinite width); h^3 w^2: odd under z -> -z.
        SiteRule rule = SiteRules.ScrambledHalton(40000, d, 9);
        Assert.Equal(0, rule.Count % 4);
        for (int g = 0; g < rule.Groups; g++)
        {
            double readOutOdd = 0.0;
            double mirrorOdd = 0.0;
            double even = 0.0;
            for (int i = rule.GroupStart[g]; i < rule.GroupStart[g + 1]; i++)
            {
                double h = rule.Nodes[i * d];
                double w = rule.Nodes[(i * d) + d - 1];
                readOutOdd += rule.Weights[i] * w * Math.Exp(h);
                mirrorOdd += rule.Weights[i] * h * h * h * w * w;
                even += rule.Weights[i] * w * w * Math.Cos(h);
            }

            Assert.Equal(0.0, readOutOdd, 1e-14);
            Assert.Equal(0.0, mirrorOdd, 1e-14);
            Assert.True(Math.Abs(even - Math.Exp(-0.5)) < 0.05, $"group {g}: E w^2 cos h = {even}, expected e^(-1/2)");
        }
    }

    private static double DoubleFactorial(int n) => n <= 1 ? 1.0 : n * DoubleFactorial(n - 2);
}
