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

/// <summary>
/// Two training points (<see cref="TwoPoints"/>, K^x_12 = 0.7) at n = 0, two hidden tanh layers, uncentered: the chain
/// rule through the layers as in <see cref="InitialVarianceTests"/>, now over 2 x 2 kernels, evaluated independently
/// with two-dimensional Gauss-Hermite quadrature. With u ~ N(0, K^x), C1 = E[tanh(u_a) tanh(u_b)] (the 2 x 2 Phi^1),
/// h ~ N(0, C1), C2 = E[tanh(h_a) tanh(h_b)], Gamma2 = E[tanh'(h_a) tanh'(h_b)] and Sigma1 = N Cov(Phi^1) over the pairs
/// c &lt;= d (the site covariance of tanh(u_a) tanh(u_b)), for every entry (a, b):
/// N Var Phi^2_ab = Var tanh(h_a) tanh(h_b) + dC2_ab^T Sigma1 dC2_ab, N Var G^2_ab = Var(tanh'_a tanh'_b w^2) +
/// dGamma2_ab^T Sigma1 dGamma2_ab, and with E1_ab = E[tanh'(u_a) tanh'(u_b)], r ~ N(0, Gamma2):
/// N Var G^1_ab = Var(tanh'(u_a) tanh'(u_b) r_a r_b) + E1_ab^2 N Var G^2_ab + 2 E1_ab dGamma2_ab^T Cov(tanh'_a tanh'_b r_a r_b, Phi^1),
/// and N Cov(Delta_a(0), Delta_b(0)) = C2_ab / gamma0^2. Derivatives d/dC1_cd move the symmetric pair (c, d) together.
/// </summary>
public sealed class TwoPointInitialVarianceTests(ITestOutputHelper output)
{
    private static readonly (int A, int B)[] Pairs = [(0, 0), (0, 1), (1, 1)];

    [Fact]
    public void InitialVariancesOfTwoPointsMatchGaussHermiteQuadrature()
    {
        const double gamma0 = 0.5;
        (Series nvar, Series error) = TestExperiments.Propagator(TestModels.Tanh, gamma0, steps: 1, sites: 40000, replicas: 8, data: TwoPoints.Inline);
        Values v = Quadrature(TwoPoints.InputGram, 120);
        var ses = new List<double>();
        int failures = 0;
        void Compare(string name, double expected, double value, double se)
        {
            ses.Add(se);
            failures += Check(name, expected, value, se);
        }

        foreach ((int a, int b) in Pairs)
        {
            int p = Array.IndexOf(Pairs, (a, b));
            string ab = $"_{a + 1}{b + 1}";
            Compare($"N Var Phi^1{ab}(0,0)", v.Sigma1[p, p], nvar.FeatureKernel![0][0][a][b], error.FeatureKernel![0][0][a][b]);
            Compare($"N Var Phi^2{ab}(0,0)", v.Phi2[p], nvar.FeatureKernel[1][0][a][b], error.FeatureKernel[1][0][a][b]);
            Compare($"N Var G^1{ab}(0,0)", v.G1[p], nvar.GradientKernel![0][0][a][b], error.GradientKernel![0][0][a][b]);
            Compare($"N Var G^2{ab}(0,0)", v.G2[p], nvar.GradientKernel[1][0][a][b], error.GradientKernel[1][0][a][b]);
        }

        Compare("N Var Delta_1(0)", v.C2[0] / (gamma0 * gamma0), nvar.Delta[0][0], error.Delta[0][0]);
        Compare("N Var Delta_2(0)", v.C2[2] / (gamma0 * gamma0), nvar.Delta[0][1], error.Delta[0][1]);

        // The quadrature's own error, from the same values on a coarser grid, must be negligible against the sampling error.
        double change = v.All.Zip(Quadrature(TwoPoints.InputGram, 80).All, (x, y) => Math.Abs(x - y)).Max();
        output.WriteLine($"largest change of a quadrature value from 80 to 120 nodes per axis: {change:E2}; smallest propagator SE {ses.Min():E2}");
        Assert.True(change < 0.1 * ses.Min(), $"the quadrature is not converged: {change:E2}");
        Assert.True(failures == 0, $"{failures} entries differ from the quadrature by more than 4.5 SE (see the output)");
    }

    private int Check(string name, double expected, double value, double se)
    {
        bool ok = Math.Abs(value - expected) <= 4.5 * se;
        output.WriteLine($"{name}: quadrature {expected:F5}  propagator {value:F5} +- {se:F5}  ({(value - expected) / se:F2} SE){(ok ? "" : "  FAIL")}");
        return ok ? 0 : 1;
    }

    private sealed record Values(double[,] Sigma1, double[] C2, double[] Phi2, double[] G2, double[] G1)
    {
        public IEnumerable<double> All => Sigma1.Cast<double>().Concat(C2).Concat(Phi2).Concat(G2).Concat(G1);
    }

    private static Values Quadrature(double[] kx, int nodes)
    {
        static double T(double h) => Math.Tanh(h);
        static double T1(double h) => 1 - Math.Tanh(h) * Math.Tanh(h);
        static double At(double x, double y, int i) => i == 0 ? x : y;

        // E[F] over N(0, C) for a symmetric 2 x 2 C stored as the pairs (00, 01, 11).
        double E(Func<double, double, double> f, double[] c) => GaussHermite.Expect2(f, c[0], c[1], c[2], nodes);

        // d E[F] / d C_pair by a central difference that moves the symmetric pair together.
        double[] Slope(Func<double, double, double> f, double[] c)
        {
            var slope = new double[3];
            for (int q = 0; q < 3; q++)
            {
                double step = 1e-4;
                double[] up = (double[])c.Clone(), down = (double[])c.Clone();
                up[q] += step;
                down[q] -= step;
                slope[q] = (E(f, up) - E(f, down)) / (2 * step);
            }

            return slope;
        }

        double[] k = [kx[0], kx[1], kx[3]];
        Func<double, double, double> Product(Func<double, double> g, int a, int b) => (x, y) => g(At(x, y, a)) * g(At(x, y, b));
        double[] c1 = [.. Pairs.Select(p => E(Product(T, p.A, p.B), k))];
        var sigma1 = new double[3, 3];
        for (int p = 0; p < 3; p++)
        {
            for (int q = 0; q < 3; q++)
            {
                (int a, int b) = Pairs[p];
                (int c, int d) = Pairs[q];
                sigma1[p, q] = E((x, y) => T(At(x, y, a)) * T(At(x, y, b)) * T(At(x, y, c)) * T(At(x, y, d)), k) - c1[p] * c1[q];
            }
        }

        double Quadratic(double[] g) => Enumerable.Range(0, 3).Sum(p => Enumerable.Range(0, 3).Sum(q => g[p] * sigma1[p, q] * g[q]));
        double[] gamma2 = [.. Pairs.Select(p => E(Product(T1, p.A, p.B), c1))];
        var c2 = new double[3];
        var phi2 = new double[3];
        var g2 = new double[3];
        var g1 = new double[3];
        for (int p = 0; p < 3; p++)
        {
            (int a, int b) = Pairs[p];
            c2[p] = E(Product(T, a, b), c1);
            double[] dc2 = Slope(Product(T, a, b), c1), dGamma2 = Slope(Product(T1, a, b), c1);
            phi2[p] = E((x, y) => Math.Pow(T(At(x, y, a)) * T(At(x, y, b)), 2), c1) - c2[p] * c2[p] + Quadratic(dc2);
            g2[p] = 3 * E((x, y) => Math.Pow(T1(At(x, y, a)) * T1(At(x, y, b)), 2), c1) - gamma2[p] * gamma2[p] + Quadratic(dGamma2);

            // Layer 1: g^1_a = tanh'(u_a) r_a, r ~ N(0, Gamma2) independent of u; E[(r_a r_b)^2] = G_aa G_bb + 2 G_ab^2.
            double gaa = gamma2[a == 0 ? 0 : 2], gbb = gamma2[b == 0 ? 0 : 2], gab = gamma2[p];
            double e1 = E(Product(T1, a, b), k);
            double kappaG1 = (gaa * gbb + 2 * gab * gab) * E((x, y) => Math.Pow(T1(At(x, y, a)) * T1(At(x, y, b)), 2), k) - Math.Pow(e1 * gab, 2);
            double crossG1 = 0;
            for (int q = 0; q < 3; q++)
            {
                (int c, int d) = Pairs[q];
                double cov = gab * (E((x, y) => T1(At(x, y, a)) * T1(At(x, y, b)) * T(At(x, y, c)) * T(At(x, y, d)), k) - e1 * c1[q]);
                crossG1 += dGamma2[q] * cov;
            }

            g1[p] = kappaG1 + e1 * e1 * g2[p] + 2 * e1 * crossG1;
        }

        return new Values(sigma1, c2, phi2, g2, g1);
    }
}
