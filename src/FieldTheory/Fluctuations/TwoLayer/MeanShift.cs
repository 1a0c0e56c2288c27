
namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// The O(1/N) mean shift of a two-layer network by the second-order delta method (DESIGN.md 4.3), with q = f and
/// M = (I + D_f)^-1. For every observable row r,
/// <code>
///   s_r = 1/2 D2_r : Sigma - C_r,     D2_r = d2 &lt;O_r&gt; / dDelta dDelta,   C_r = sum_{b,c} Cov_site(dO_r/dDelta_b, O_f,c) M_bc
///   N E[delta f] = M s_f,   b = N E[delta Delta] = - M s_f,   N E[delta O_r] = D_O,r . b + s_r
/// </code>
/// (the f rows of the last line reproduce the second). D2_r : Sigma = sum_k d2 O_r[v_k, v_k] over the columns v_k of a
/// truncated factor Sigma = V V^T (<see cref="LowRankFactor"/>), and C_r = &lt;dO_r[u]&gt; along each site's own direction u = M (O_f - &lt;O_f&gt;): both are
/// forward-mode tangents (second order, through phi''') along whole Delta trajectories, replayed site by site.
/// </summary>
internal static class MeanShift
{
    /// <summary>N E[delta O_r] for every row r of the layout.</summary>
    public static double[] Compute<TActivation>(SiteSystem system, int first, int last, double[] delta, SiteMoments moments, Propagator propagator, CancellationToken ct)
        where TActivation : struct, IActivation
    {
        ObservableLayout layout = system.Layout;
        int columns = layout.Columns;
        (double[] factor, int rank) = LowRankFactor.Of(propagator.Sigma, columns);
        var meanF = new double[columns];
        for (int j = 0; j < columns; j++)
        {
            meanF[j] = moments.Mean[layout.RowOfColumn(j)];
        }

        double[] source = SiteLanes.Run(
            first,
            last,
            () => new double[layout.Rows],
            (from, to, sums) =>
            {
                var walker = new SecondOrderWalker<TActivation>(system, rank + 1);
                var directions = new double[(rank + 1) * columns];
                for (int k = 0; k < rank; k++)
                {
                    for (int j = 0; j < columns; j++)
                    {
                        directions[(k * columns) + j] = factor[(j * rank) + k];
                    }
                }

                var centeredF = new double[columns];
                for (int i = from; i < to; i++)
                {
                    if ((i & 63) == 0)
                    {
                        ct.ThrowIfCancellationRequested();
                    }

                    walker.Primal(i, delta);
                    for (int j = 0; j < columns; j++)
                    {
                        centeredF[j] = walker.Observables[layout.RowOfColumn(j)] - meanF[j];
                    }

                    double[] u = propagator.SolveForward(centeredF);
                    Array.Copy(u, 0, directions, rank * columns, columns);
                    walker.Tangents(i, delta, directions);
                    double weight = system.Rule.Weights[i];
                    for (int r = 0; r < layout.Rows; r++)
                    {
                        sums[r] += weight * ((0.5 * walker.SecondSum[r]) - walker.LastFirst[r]);
                    }
                }
            },
            (target, add) =>
            {
                for (int r = 0; r < target.Length; r++)
                {
                    target[r] += add[r];
                }
            },
            ct);

        var sF = new double[columns];
        for (int j = 0; j < columns; j++)
        {
            sF[j] = source[layout.RowOfColumn(j)];
        }

        double[] shiftF = propagator.SolveForward(sF);
        var shift = new double[layout.Rows];
        for (int r = 0; r < layout.Rows; r++)
        {
            ReadOnlySpan<double> d = moments.Jacobian.AsSpan(r * columns, columns);
            double drift = 0.0;
            for (int j = 0; j < columns; j++)
            {
                drift -= d[j] * shiftF[j];
            }

            shift[r] = drift + source[r];
        }

        return shift;
    }
}
