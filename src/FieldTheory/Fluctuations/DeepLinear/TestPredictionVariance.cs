using FieldTheory.Fluctuations.Lazy;

namespace FieldTheory.Fluctuations.DeepLinear;

/// <summary>
/// N Var of a deep linear network's predictions on test points, from the training-point propagator (DESIGN.md 4.5).
/// </summary>
/// <remarks>
/// A linear network is linear in its input, f(x) = beta . x, so a test input x* = sum_mu c_mu x_mu + x_perp (x_perp
/// orthogonal to every training input) gives f(x*) = sum_mu c_mu f(x_mu) + f_perp exactly, at any width. Gradient
/// descent moves the first layer only within the span of the training inputs, so u = W^0(0) x_perp / sqrt(D) never
/// changes; it is independent of everything training sees, with covariance K_perp I (K_perp = K^x(x*, x*) minus its
/// projection on the training inputs). With gamma0 N f = g^1 . h^1 (the backward field g^1 of the first layer, which in
/// a linear network does not depend on the input), f_perp(n) = g^1(n) . u / (gamma0 N), so
/// <code>
///   N Var f(x*, n) = c^T N Cov(f(n), f(n)) c + K_perp G^1(n, n) / gamma0^2
/// </code>
/// with no cross term (u -> -u leaves training unchanged). Centered (f - f(0)): the first term uses the centered
/// propagator and the second K_perp (G^1(n, n) - 2 G^1(n, 0) + G^1(0, 0)) / gamma0^2.
/// </remarks>
internal static class TestPredictionVariance
{
    // Relative eigenvalue below which a direction of the training Gram matrix counts as absent (dependent inputs).
    private const double RankTolerance = 1e-12;

    /// <summary>N Var f_test[n][j] for n = 0..T, j over the test points.</summary>
    /// <param name="fluctuations">The propagator of the training points.</param>
    /// <param name="gram">K^x over training then test points, row-major (<see cref="Data.Dataset.InputGram"/>).</param>
    /// <param name="train">P.</param>
    /// <param name="test">The number of test points.</param>
    /// <param name="gamma0">The feature-learning strength.</param>
    public static double[][] Of(DeepLinearFluctuations fluctuations, double[] gram, int train, int test, double gamma0)
    {
        (double[] c, double[] perpendicular) = Project(gram, train, test);
        var g1 = fluctuations.Saddle.G[0];
        int steps = fluctuations.Steps;
        var result = new double[steps + 1][];
        for (int n = 0; n <= steps; n++)
        {
            double backward = fluctuations.Centered
                ? g1[n, 0, n, 0] - (2 * g1[n, 0, 0, 0]) + g1[0, 0, 0, 0]
                : g1[n, 0, n, 0];
            result[n] = new double[test];
            for (int j = 0; j < test; j++)
            {
                double spanned = 0.0;
                for (int mu = 0; mu < train; mu++)
                {
                    for (int nu = 0; nu < train; nu++)
                    {
                        spanned += c[(j * train) + mu] * fluctuations.PredictionCovariance(n, mu, n, nu) * c[(j * train) + nu];
                    }
                }

                result[n][j] = spanned + (perpendicular[j] * backward / (gamma0 * gamma0));
            }
        }

        return result;
    }

    /// <summary>
    /// For every test point, the coefficients c of its projection on the training inputs (c = K_train^+ K_train,test,
    /// pseudo-inverse over the nonzero eigenvalues) and K_perp = K^x(x*, x*) - K_test,train c.
    /// </summary>
    internal static (double[] Coefficients, double[] Perpendicular) Project(double[] gram, int train, int test)
    {
        int points = train + test;
        var block = new double[train * train];
        for (int mu = 0; mu < train; mu++)
        {
            Array.Copy(gram, mu * points, block, mu * train, train);
        }

        (double[] values, double[] vectors) = SymmetricEigen.Of(block, train);
        double largest = values.Select(Math.Abs).DefaultIfEmpty(0.0).Max();
        var c = new double[test * train];
        var perpendicular = new double[test];
        for (int j = 0; j < test; j++)
        {
            int row = train + j;
            for (int k = 0; k < train; k++)
            {
                if (values[k] <= RankTolerance * largest)
                {
                    continue;
                }

                double along = 0.0;
                for (int nu = 0; nu < train; nu++)
                {
                    along += vectors[(nu * train) + k] * gram[(nu * points) + row];
                }

                for (int mu = 0; mu < train; mu++)
                {
                    c[(j * train) + mu] += vectors[(mu * train) + k] * along / values[k];
                }
            }

            double projected = 0.0;
            for (int mu = 0; mu < train; mu++)
            {
                projected += gram[(row * points) + mu] * c[(j * train) + mu];
            }

            perpendicular[j] = Math.Max(0.0, gram[(row * points) + row] - projected);
        }

        return (c, perpendicular);
    }
}
