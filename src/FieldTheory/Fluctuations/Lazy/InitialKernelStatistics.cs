using FieldTheory.Theory.Integration;
using FieldTheory.Theory.TwoLayer;

namespace FieldTheory.Fluctuations.Lazy;

/// <summary>
/// The two-layer NTK at initialisation and its finite-width covariance, both site averages at n = 0 (DESIGN.md 4.4):
/// K_ab = &lt;O_ab&gt; and kappa_{ab,cd} = N Cov(K_ab, K_cd) = Cov_site(O_ab, O_cd) with
/// O_ab = phi(h_a) phi(h_b) + K^x_ab w^2 phi'(h_a) phi'(h_b), h ~ N(0, K^x), w ~ N(0, 1), for a over all Q points and b
/// over the P training points, over the sites behind a <see cref="SiteRule"/>'s reported estimate: the average of the
/// per-group values over every group of independent randomisations (as the propagator combines them), or the fine group
/// of two resolutions. (The first group alone, 1/8 of the QMC sites, left the lazy form 3% of the peak variance away
/// from the propagator at gamma0 = 0.01, P = 3, 16384 sites, 11% with 4096; over all groups the gap is 0.18% at
/// either site count and does not shrink from gamma0 = 0.02 to 0.01, a residual whose cause is not identified.)
/// </summary>
internal static class InitialKernelStatistics
{
    /// <summary>(K over Q x P entries, kappa over those entries).</summary>
    public static (double[] Kernel, double[] Kappa) Of(NetworkModel model, double[] gram, int points, int train, SiteRule rule)
    {
        (double[] factor, int rank) = InputFactor.Of(gram, points);
        int entries = points * train;
        var mean = new double[entries];
        var covariance = new double[entries * entries];
        int groups = rule.Groups;
        for (int g = 0; g < groups; g++)
        {
            (double[] groupMean, double[] groupCovariance) = OfGroup(model, gram, points, train, rule, factor, rank, g);
            for (int e = 0; e < entries; e++)
            {
                mean[e] += groupMean[e] / groups;
            }

            for (int e = 0; e < covariance.Length; e++)
            {
                covariance[e] += groupCovariance[e] / groups;
            }
        }

        return (mean, covariance);
    }

    private static (double[] Mean, double[] Covariance) OfGroup(NetworkModel model, double[] gram, int points, int train, SiteRule rule, double[] factor, int rank, int group)
    {
        int entries = points * train;
        var mean = new double[entries];
        var second = new double[entries * entries];
        var o = new double[entries];
        var h = new double[points];
        int d = rule.Dimension;
        for (int i = rule.GroupStart[group]; i < rule.GroupStart[group + 1]; i++)
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
