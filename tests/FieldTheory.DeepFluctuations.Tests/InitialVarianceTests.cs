using FieldTheory.Results;
using Xunit.Abstractions;

namespace FieldTheory.DeepFluctuations.Tests;

/// <summary>
/// At n = 0 the propagator of two hidden tanh layers (x = y = 1, uncentered) reduces to the chain rule through the layers,
/// which one-dimensional Gauss-Hermite quadrature evaluates independently: with C1 = E[tanh(u)^2], u ~ N(0, 1),
/// C2 = E[tanh(h)^2] and Gamma2 = E[tanh'(h)^2], h ~ N(0, C1),
/// N Var Phi^1 = Var tanh(u)^2, N Var Phi^2 = Var tanh(h)^2 + (dC2/dC1)^2 N Var Phi^1,
/// N Var G^2 = Var(tanh'(h)^2 w^2) + (dGamma2/dC1)^2 N Var Phi^1, N Var G^1 = Var(tanh'(u)^2 r^2) + E[tanh'(u)^2]^2 N Var G^2
/// + 2 E[tanh'(u)^2] dGamma2/dC1 Cov(tanh'(u)^2 r^2, tanh(u)^2) with r ~ N(0, Gamma2), and N Var Delta(0) = C2 / gamma0^2.
/// The sampled values must agree within 4.5 standard errors of 8 replicas (Student t, 7 degrees of freedom: p = 0.003 per entry).
/// </summary>
public sealed class InitialVarianceTests(ITestOutputHelper output)
{
    [Fact]
    public void InitialVariancesMatchGaussHermiteQuadrature()
    {
        const double gamma0 = 0.5;
        (Series nvar, Series error) = TestExperiments.Propagator(TestModels.Tanh, gamma0, steps: 1, sites: 40000, replicas: 8);

        static double T(double h) => Math.Tanh(h);
        static double T1(double h) => 1 - Math.Tanh(h) * Math.Tanh(h);
        double c1 = GaussHermite.Expect(h => T(h) * T(h), 1);
        double varPhi1 = GaussHermite.Expect(h => Math.Pow(T(h), 4), 1) - c1 * c1;
        double c2 = GaussHermite.Expect(h => T(h) * T(h), c1);
        double dc2 = GaussHermite.VarianceDerivative(h => T(h) * T(h), c1);
        double varPhi2 = GaussHermite.Expect(h => Math.Pow(T(h), 4), c1) - c2 * c2 + dc2 * dc2 * varPhi1;
        double gamma2 = GaussHermite.Expect(h => T1(h) * T1(h), c1);
        double dGamma2 = GaussHermite.VarianceDerivative(h => T1(h) * T1(h), c1);
        double varG2 = 3 * GaussHermite.Expect(h => Math.Pow(T1(h), 4), c1) - gamma2 * gamma2 + dGamma2 * dGamma2 * varPhi1;
        double e1 = GaussHermite.Expect(h => T1(h) * T1(h), 1);
        double kappaG1 = 3 * gamma2 * gamma2 * GaussHermite.Expect(h => Math.Pow(T1(h), 4), 1) - Math.Pow(e1 * gamma2, 2);
        double kappaG1Phi1 = gamma2 * (GaussHermite.Expect(h => T1(h) * T1(h) * T(h) * T(h), 1) - e1 * c1);
        double varG1 = kappaG1 + e1 * e1 * varG2 + 2 * e1 * dGamma2 * kappaG1Phi1;

        Check("N Var Phi^1(0,0)", varPhi1, nvar.FeatureKernel![0][0][0][0], error.FeatureKernel![0][0][0][0]);
        Check("N Var Phi^2(0,0)", varPhi2, nvar.FeatureKernel[1][0][0][0], error.FeatureKernel[1][0][0][0]);
        Check("N Var G^1(0,0)", varG1, nvar.GradientKernel![0][0][0][0], error.GradientKernel![0][0][0][0]);
        Check("N Var G^2(0,0)", varG2, nvar.GradientKernel[1][0][0][0], error.GradientKernel[1][0][0][0]);
        Check("N Var Delta(0)", c2 / (gamma0 * gamma0), nvar.Delta[0][0], error.Delta[0][0]);
    }

    /// <summary>
    /// Three hidden tanh layers. With C3 = E[tanh(h)^2], Gamma3 = E[tanh'(h)^2], h ~ N(0, C2), and the layer-2 site noise
    /// (eps_Phi2, eps_G2) correlated (same neurons): N Var Phi^3 = Var tanh(h)^2 + (dC3/dC2)^2 N Var Phi^2,
    /// N Var G^3 = Var(tanh'(h)^2 w^2) + (dGamma3/dC2)^2 N Var Phi^2; G^2 = Gamma2(Phi^1) G^3 + eps_G2 gives
    /// N Var G^2 = (Gamma2 dGamma3)^2 Var_2 + 2 Gamma2 dGamma3 Cov_2 + kappa_G2 + Gamma2^2 kappa_G3 + a^2 N Var Phi^1 with
    /// a = Gamma2 dGamma3 dC2 + Gamma3 dGamma2, and N Var G^1 = kappa_G1 + E[tanh'(u)^2]^2 N Var G^2
    /// + 2 E[tanh'(u)^2] a Cov(tanh'(u)^2 r^2, tanh(u)^2), r ~ N(0, Gamma2 Gamma3); N Var Delta(0) = C3 / gamma0^2.
    /// </summary>
    [Fact]
    public void InitialVariancesOfThreeHiddenLayersMatchGaussHermiteQuadrature()
    {
        const double gamma0 = 0.5;
        (Series nvar, Series error) = TestExperiments.Propagator(TestModels.DeepTanh, gamma0, steps: 1, sites: 40000, replicas: 8);

        static double T(double h) => Math.Tanh(h);
        static double T1(double h) => 1 - Math.Tanh(h) * Math.Tanh(h);
        static double E(Func<double, double> f, double variance) => GaussHermite.Expect(f, variance);
        static double Slope(Func<double, double> f, double variance) => GaussHermite.VarianceDerivative(f, variance);

        double c1 = E(h => T(h) * T(h), 1);
        double varPhi1 = E(h => Math.Pow(T(h), 4), 1) - c1 * c1;
        double c2 = E(h => T(h) * T(h), c1), dc2 = Slope(h => T(h) * T(h), c1);
        double kappaPhi2 = E(h => Math.Pow(T(h), 4), c1) - c2 * c2;
        double varPhi2 = kappaPhi2 + dc2 * dc2 * varPhi1;
        double c3 = E(h => T(h) * T(h), c2), dc3 = Slope(h => T(h) * T(h), c2);
        double varPhi3 = E(h => Math.Pow(T(h), 4), c2) - c3 * c3 + dc3 * dc3 * varPhi2;

        double gamma3 = E(h => T1(h) * T1(h), c2), dGamma3 = Slope(h => T1(h) * T1(h), c2);
        double kappaG3 = 3 * E(h => Math.Pow(T1(h), 4), c2) - gamma3 * gamma3;
        double varG3 = kappaG3 + dGamma3 * dGamma3 * varPhi2;

        double gamma2 = E(h => T1(h) * T1(h), c1), dGamma2 = Slope(h => T1(h) * T1(h), c1);
        double kappaG2 = 3 * gamma3 * gamma3 * E(h => Math.Pow(T1(h), 4), c1) - Math.Pow(gamma3 * gamma2, 2);
        double kappaG2Phi2 = gamma3 * (E(h => T1(h) * T1(h) * T(h) * T(h), c1) - c2 * gamma2);
        double a = gamma2 * dGamma3 * dc2 + gamma3 * dGamma2;
        double varG2 = Math.Pow(gamma2 * dGamma3, 2) * kappaPhi2 + 2 * gamma2 * dGamma3 * kappaG2Phi2 + kappaG2 + gamma2 * gamma2 * kappaG3 + a * a * varPhi1;

        double e1 = E(h => T1(h) * T1(h), 1), g2 = gamma2 * gamma3;
        double kappaG1 = 3 * g2 * g2 * E(h => Math.Pow(T1(h), 4), 1) - Math.Pow(e1 * g2, 2);
        double kappaG1Phi1 = g2 * (E(h => T1(h) * T1(h) * T(h) * T(h), 1) - e1 * c1);
        double varG1 = kappaG1 + e1 * e1 * varG2 + 2 * e1 * a * kappaG1Phi1;

        double[] phi = [varPhi1, varPhi2, varPhi3], g = [varG1, varG2, varG3];
        for (int l = 0; l < 3; l++)
        {
            Check($"N Var Phi^{l + 1}(0,0)", phi[l], nvar.FeatureKernel![l][0][0][0], error.FeatureKernel![l][0][0][0]);
            Check($"N Var G^{l + 1}(0,0)", g[l], nvar.GradientKernel![l][0][0][0], error.GradientKernel![l][0][0][0]);
        }

        Check("N Var Delta(0)", c3 / (gamma0 * gamma0), nvar.Delta[0][0], error.Delta[0][0]);
    }

    private void Check(string name, double expected, double value, double se)
    {
        output.WriteLine($"{name}: quadrature {expected:F5}  propagator {value:F5} +- {se:F5}");
        Assert.True(Math.Abs(value - expected) <= 4.5 * se, $"{name}: propagator {value:F5} +- {se:F5} vs quadrature {expected:F5}");
    }
}
