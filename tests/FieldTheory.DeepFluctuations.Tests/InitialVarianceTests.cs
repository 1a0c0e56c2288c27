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
/// The sampled values must agree within 4.5 standard errors of 8 replicas.
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

    private void Check(string name, double expected, double value, double se)
    {
        output.WriteLine($"{name}: quadrature {expected:F5}  propagator {value:F5} +- {se:F5}");
        Assert.True(Math.Abs(value - expected) <= 4.5 * se, $"{name}: propagator {value:F5} +- {se:F5} vs quadrature {expected:F5}");
    }
}
