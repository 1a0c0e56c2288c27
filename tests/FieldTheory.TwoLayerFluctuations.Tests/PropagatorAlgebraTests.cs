using FieldTheory.Fluctuations.TwoLayer;
using FieldTheory.Models;

namespace FieldTheory.TwoLayerFluctuations.Tests;

/// <summary>
/// The triangular solves of <see cref="Propagator"/> against the formulas of DESIGN.md 4.2 evaluated with an explicit
/// dense inverse (fine in a test on a small problem): Sigma = (I + D_f)^-1 kappa (I + D_f)^-T, and
/// N Var O = kappa_OO - 2 B kappa_fO + B kappa B^T with B = D_O (I + D_f)^-1; the f rows of the latter are Sigma's diagonal.
/// </summary>
public sealed class PropagatorAlgebraTests
{
    [Fact]
    public void SolvesMatchTheDenseFormulas()
    {
        var problem = Problems.Problem(Problems.ThreePoints(), gamma0: 1.5, eta: 0.3, steps: 6, centered: false);
        SiteSystem system = Problems.System(problem, 256);
        ObservableLayout layout = system.Layout;
        int sites = system.Rule.GroupStart[1];
        double[] delta = MeanTrajectory.Solve<TwoLayerTanh.Activation>(system, 0, sites, default);
        SiteMoments moments = SensitivityPass.Run<TwoLayerTanh.Activation>(system, 0, sites, delta, new SensitivityLanes(), default);
        var propagator = new Propagator(layout, moments);
        int c = layout.Columns;
        double[,] inverse = Inverse(c, (i, j) => (i == j ? 1.0 : 0.0) + propagator.Sensitivity[(i * c) + j]);
        double[,] kappa = new double[c, c];
        for (int i = 0; i < c; i++)
        {
            for (int j = 0; j < c; j++)
            {
                kappa[i, j] = propagator.Kappa[(i * c) + j];
            }
        }

        double[,] sigma = Multiply(Multiply(inverse, kappa), Transpose(inverse));
        double scale = propagator.Sigma.Max(Math.Abs);
        for (int i = 0; i < c; i++)
        {
            for (int j = 0; j < c; j++)
            {
                Assert.True(Math.Abs(sigma[i, j] - propagator.Sigma[(i * c) + j]) <= 1e-11 * scale, $"Sigma[{i},{j}]");
            }
        }

        double[] variances = propagator.RowVariances();
        for (int r = 0; r < layout.Rows; r++)
        {
            var b = new double[c];
            for (int j = 0; j < c; j++)
            {
                for (int k = 0; k < c; k++)
                {
                    b[j] += moments.Jacobian[(r * c) + k] * inverse[k, j];
                }
            }

            double mean = moments.Mean[r];
            double expected = moments.Second[r] - (mean * mean);
            for (int j = 0; j < c; j++)
            {
                double kappaFo = moments.Cross[(r * c) + j] - (mean * moments.Mean[layout.RowOfColumn(j)]);
                expected -= 2 * b[j] * kappaFo;
                for (int k = 0; k < c; k++)
                {
                    expected += b[j] * kappa[j, k] * b[k];
                }
            }

            Assert.True(Math.Abs(expected - variances[r]) <= 1e-10 * Math.Max(1.0, Math.Abs(expected)), $"row {r}: {variances[r]:G12} vs dense {expected:G12}");
        }

        for (int j = 0; j < c; j++)
        {
            double diagonal = propagator.Sigma[(j * c) + j];
            Assert.True(Math.Abs(variances[layout.RowOfColumn(j)] - diagonal) <= 1e-10 * scale, $"f row {j}: {variances[layout.RowOfColumn(j)]:G12} vs Sigma {diagonal:G12}");
        }
    }

    private static double[,] Inverse(int n, Func<int, int, double> a)
    {
        var m = new double[n, 2 * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                m[i, j] = a(i, j);
            }

            m[i, n + i] = 1.0;
        }

        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int i = col + 1; i < n; i++)
            {
                if (Math.Abs(m[i, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = i;
                }
            }

            for (int j = 0; j < 2 * n; j++)
            {
                (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
            }

            double d = m[col, col];
            for (int j = 0; j < 2 * n; j++)
            {
                m[col, j] /= d;
            }

            for (int i = 0; i < n; i++)
            {
                if (i != col)
                {
                    double f = m[i, col];
                    for (int j = 0; j < 2 * n; j++)
                    {
                        m[i, j] -= f * m[col, j];
                    }
                }
            }
        }

        var inverse = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                inverse[i, j] = m[i, n + j];
            }
        }

        return inverse;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0);
        var c = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < n; k++)
            {
                for (int j = 0; j < n; j++)
                {
                    c[i, j] += a[i, k] * b[k, j];
                }
            }
        }

        return c;
    }

    private static double[,] Transpose(double[,] a)
    {
        int n = a.GetLength(0);
        var t = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                t[j, i] = a[i, j];
            }
        }

        return t;
    }
}
