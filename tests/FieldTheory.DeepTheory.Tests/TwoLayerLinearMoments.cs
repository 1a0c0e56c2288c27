namespace FieldTheory.DeepTheory.Tests;

/// <summary>
/// An independent reference for L = 1 and phi(h) = h: the two-layer site equations of DESIGN.md 3.1 are linear in the
/// site (h_1..h_P, w), so its covariance propagates exactly by Sigma(n+1) = T(n) Sigma(n) T(n)^T, and
/// f_mu(n) = Sigma_{h_mu, w}(n) / gamma0.
/// </summary>
internal static class TwoLayerLinearMoments
{
    /// <summary>f over all points (train then test), [n][point].</summary>
    public static double[][] Predictions(double[] inputGram, int trainCount, double[] y, double gamma0, double eta, int steps)
    {
        int points = (int)Math.Round(Math.Sqrt(inputGram.Length));
        int dim = points + 1;
        int w = points;
        var sigma = new double[dim, dim];
        for (int i = 0; i < points; i++)
        {
            for (int j = 0; j < points; j++)
            {
                sigma[i, j] = inputGram[i * points + j];
            }
        }

        sigma[w, w] = 1;
        var f = new double[steps + 1][];
        for (int n = 0; ; n++)
        {
            f[n] = new double[points];
            for (int mu = 0; mu < points; mu++)
            {
                f[n][mu] = sigma[mu, w] / gamma0;
            }

            if (n == steps)
            {
                return f;
            }

            var delta = new double[trainCount];
            for (int a = 0; a < trainCount; a++)
            {
                delta[a] = y[a] - f[n][a];
            }

            // h_mu += eta gamma0 w sum_a K^x_{mu a} Delta_a,   w += eta gamma0 sum_a Delta_a h_a.
            var t = new double[dim, dim];
            for (int i = 0; i < dim; i++)
            {
                t[i, i] = 1;
            }

            for (int mu = 0; mu < points; mu++)
            {
                for (int a = 0; a < trainCount; a++)
                {
                    t[mu, w] += eta * gamma0 * inputGram[mu * points + a] * delta[a];
                }
            }

            for (int a = 0; a < trainCount; a++)
            {
                t[w, a] = eta * gamma0 * delta[a];
            }

            sigma = Sandwich(t, sigma);
        }
    }

    private static double[,] Sandwich(double[,] t, double[,] s)
    {
        int dim = s.GetLength(0);
        var ts = new double[dim, dim];
        var result = new double[dim, dim];
        for (int i = 0; i < dim; i++)
        {
            for (int j = 0; j < dim; j++)
            {
                for (int k = 0; k < dim; k++)
                {
                    ts[i, j] += t[i, k] * s[k, j];
                }
            }
        }

        for (int i = 0; i < dim; i++)
        {
            for (int j = 0; j < dim; j++)
            {
                for (int k = 0; k < dim; k++)
                {
                    result[i, j] += ts[i, k] * t[j, k];
                }
            }
        }

        return result;
    }
}
