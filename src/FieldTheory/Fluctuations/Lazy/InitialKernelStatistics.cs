using FieldTheory.Theory.Integration;
using FieldTheory.Theory.TwoLayer;

namespace FieldTheory.Fluctuations.Lazy;

/// <summary>
/// The two-layer NTK at initialisation and its finite-width covariance, both site averages at n = 0 (DESIGN.md 4.4):
/// K_ab = &lt;O_ab&gt; and kappa_{ab,cd} = N Cov(K_ab, K_cd) = Cov_site(O_ab, O_cd) with
/// O_ab = phi(h_a) phi(h_b) + K^x_ab w^2 phi'(h_a) phi'(h_b), h ~ N(0, K^x), w ~ N(0, 1), over a <see cref="SiteRule"/>'s
/// first group, for a over all Q points and b over the P training points.
/// </summary>
internal static class InitialKernelStatistics
{
    /// <summary>(K over Q x P entries, kappa over those entries).</summary>
    public static (double[] Kernel, double[] Kappa) Of(NetworkModel model, double[] gram, int points, int train, SiteRule rule)
    {
        (double[] factor, int rank) = InputFactor.Of(gram, points);
        int entries = points * train;
        var mean = new double[entries];
        var second = new double[entries * entries];
        var o = new double[entries];
        var h = new double[points];
        int d = rule.Dimension;
        for (int i = rule.GroupStart[0]; i < rule.GroupStart[1]; i++)
        {
            ReadOnlySpan<double> z = rule.Nodes.AsSpan(i * d, d);
            double w = z[rank];
            for (int a = 0; a < points; a++)
            {
                h[a] = 0.0;
                for (int k = 0; k < rank; k++)
                {
                    h[a] += factor[(a * rank) + k] * z[k];
                }
            }

            for (int a = 0; a < points; a++)
            {
                ActivationJet ja = model.Jet(h[a]);
                for (int b = 0; b < train; b++)
                {
                    ActivationJet jb = model.Jet(h[b]);
                    o[(a * train) + b] = (ja.Value * jb.Value) + (gram[(a * points) + b] * w * w * ja.D1 * jb.D1);
                }
            }

            double weight = rule.Weights[i];
            for (int e = 0; e < entries; e++)
            {
                mean[e] += weight * o[e];
                for (int f = 0; f < entries; f++)
                {
                    second[(e * entries) + f] += weight * o[e] * o[f];
                }
            }
        }

        for (int e = 0; e < entries; e++)
        {
            for (int f = 0; f < entries; f++)
            {
                second[(e * entries) + f] -= mean[e] * mean[f];
            }
        }

        return (mean, second);
    }
}
