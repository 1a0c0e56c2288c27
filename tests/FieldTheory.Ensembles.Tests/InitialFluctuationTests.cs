namespace FieldTheory.Ensembles.Tests;

/// <summary>
/// Two-layer tanh net, x = y = 1 (K^x = 1), uncentered, at initialisation. h_i = W^0_i x ~ N(0, 1) and w_i ~ N(0, 1)
/// are independent across neurons i, so f(0) = (1 / (gamma0 N)) sum_i w_i phi(h_i) and
/// K(0) = (1/N) sum_i [phi(h_i)^2 + w_i^2 phi'(h_i)^2] are averages of N i.i.d. site terms:
/// N Var f(0) = E[phi(u)^2] / gamma0^2,  E K(0) = E[phi^2] + E[phi'^2],
/// N Var K(0) = E[phi^4] + 2 E[phi^2 phi'^2] + 3 E[phi'^4] - (E[phi^2] + E[phi'^2])^2   (E[w^4] = 3),
/// exactly at every width. The expectations over u ~ N(0, 1) come from quadrature here; the ensemble must agree
/// within 4 of its standard errors.
/// </summary>
public sealed class InitialFluctuationTests
{
    private const double Z = 4.0;

    [Fact]
    public void InitialOutputAndNtkVariancesMatchGaussianExpectations() => Check(width: 64, members: 4000);

    [FullFact]
    public void InitialOutputAndNtkVariancesMatchGaussianExpectationsFull() => Check(width: 256, members: 40000);

    private static void Check(int width, int members)
    {
        const double gamma0 = 0.7;
        double phi2 = Gaussian(u => Math.Pow(Math.Tanh(u), 2));
        double dphi2 = Gaussian(u => Math.Pow(1 - Math.Pow(Math.Tanh(u), 2), 2));
        double phi4 = Gaussian(u => Math.Pow(Math.Tanh(u), 4));
        double phi2dphi2 = Gaussian(u => Math.Pow(Math.Tanh(u), 2) * Math.Pow(1 - Math.Pow(Math.Tanh(u), 2), 2));
        double dphi4 = Gaussian(u => Math.Pow(1 - Math.Pow(Math.Tanh(u), 2), 4));
        double expectedNvarF = phi2 / (gamma0 * gamma0);
        double expectedMeanK = phi2 + dphi2;
        double expectedNvarK = phi4 + (2 * phi2dphi2) + (3 * dphi4) - (expectedMeanK * expectedMeanK);

        Results.EnsembleResult e = Ensembles.Train("TwoLayerTanh", Ensembles.Scalar(), gamma0, eta: 0.1, steps: 0, width, members);

        Within(expectedNvarF, e.Nvar.F[0][0], e.NvarStdErr.F[0][0], "N Var f(0)");
        Within(0.0, e.Mean.F[0][0], e.MeanStdErr.F[0][0], "E f(0)");
        Within(expectedMeanK, e.Mean.Ntk[0][0][0], e.MeanStdErr.Ntk[0][0][0], "E K(0)");
        Within(expectedNvarK, e.Nvar.Ntk[0][0][0], e.NvarStdErr.Ntk[0][0][0], "N Var K(0)");
        Within(phi2, e.Mean.FeatureKernel![0][0][0][0], e.MeanStdErr.FeatureKernel![0][0][0][0], "E Phi^1(0)");
    }

    private static void Within(double expected, double actual, double stdErr, string what) =>
        Assert.True(Math.Abs(actual - expected) <= Z * stdErr, $"{what}: ensemble {actual:G6} ± {stdErr:G3}, expected {expected:G6}");

    /// <summary>E[g(u)], u ~ N(0, 1), by the trapezoidal rule on [-12, 12] (exponentially accurate for smooth g).</summary>
    private static double Gaussian(Func<double, double> g)
    {
        const int intervals = 4000;
        const double a = 12.0;
        double h = 2 * a / intervals, sum = 0.0;
        for (int i = 0; i <= intervals; i++)
        {
            double u = -a + (i * h);
            double weight = i == 0 || i == intervals ? 0.5 : 1.0;
            sum += weight * g(u) * Math.Exp(-0.5 * u * u);
        }

        return sum * h / Math.Sqrt(2 * Math.PI);
    }
}
