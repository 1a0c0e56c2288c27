using FieldTheory.Testing;

namespace FieldTheory.DeepTheory.Tests;

/// <summary>
/// Independent reference for the kernels at initialisation (DESIGN.md 3.4): Phi^l = E[phi(u) phi(u')] with
/// (u, u') ~ N(0, Phi^{l-1}) and G^l = G^{l+1} E[phi'(u) phi'(u')], G^{L+1} = 1, by bivariate Gauss-Hermite quadrature.
/// </summary>
internal static class GaussHermiteNngp
{
    /// <summary>Phi^l and G^l (l = 1..L, stored at l - 1) over the points of <paramref name="gram"/>.</summary>
    public static (double[][,] Phi, double[][,] G) Kernels(NetworkModel model, double[] gram, int nodes = 80)
    {
        int points = (int)Math.Round(Math.Sqrt(gram.Length));
        int layers = model.HiddenLayers;
        (double[] x, double[] w) = HermiteNodes.Of(nodes);
        var phi = new double[layers][,];
        var derivative = new double[layers][,];
        double[,] below = new double[points, points];
        for (int a = 0; a < points; a++)
        {
            for (int b = 0; b < points; b++)
            {
                below[a, b] = gram[a * points + b];
            }
        }

        for (int l = 0; l < layers; l++)
        {
            phi[l] = new double[points, points];
            derivative[l] = new double[points, points];
            for (int a = 0; a < points; a++)
            {
                for (int b = 0; b < points; b++)
                {
                    (phi[l][a, b], derivative[l][a, b]) = Expectations(model, below[a, a], below[a, b], below[b, b], x, w);
                }
            }

            below = phi[l];
        }

        var g = new double[layers][,];
        for (int l = layers - 1; l >= 0; l--)
        {
            g[l] = new double[points, points];
            for (int a = 0; a < points; a++)
            {
                for (int b = 0; b < points; b++)
                {
                    g[l][a, b] = (l == layers - 1 ? 1.0 : g[l + 1][a, b]) * derivative[l][a, b];
                }
            }
        }

        return (phi, g);
    }

    // E[phi(u) phi(v)], E[phi'(u) phi'(v)] for u = sqrt(caa) z1, v = rho z1 + sqrt(cbb - rho^2) z2, rho = cab / sqrt(caa).
    private static (double Phi, double Derivative) Expectations(NetworkModel model, double caa, double cab, double cbb, double[] x, double[] w)
    {
        double su = Math.Sqrt(caa);
        double rho = cab / su;
        double rest = Math.Sqrt(Math.Max(cbb - rho * rho, 0));
        double phi = 0, derivative = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double z1 = Math.Sqrt(2) * x[i];
            ActivationJet ju = model.Jet(su * z1);
            for (int j = 0; j < x.Length; j++)
            {
                double weight = w[i] * w[j] / Math.PI;
                ActivationJet jv = model.Jet(rho * z1 + rest * Math.Sqrt(2) * x[j]);
                phi += weight * ju.Value * jv.Value;
                derivative += weight * ju.D1 * jv.D1;
            }
        }

        return (phi, derivative);
    }
}
