using FieldTheory.Compute;

namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// The site pass of the reduced two-layer propagator (DESIGN.md 4.2): every site is replayed along the group's
/// Delta(n) with forward-mode tangents of (h, w) with respect to every earlier Delta_a(m), and the observables,
/// their squares, their products with the order parameters O_f and their tangents are summed with the site weights.
/// <para>
/// Tangent recursion for a direction (a, m): it is born at step m + 1 with dh_mu = c w K^x_{mu a} phi'(h_a),
/// dw = c phi(h_a) (all at step m), and afterwards follows the linearised update
/// dh_mu += c [dw sum_b K^x_{mu b} Delta_b phi'_b + w sum_b K^x_{mu b} Delta_b phi''_b dh_b],
/// dw += c sum_b Delta_b phi'_b dh_b, with c = eta gamma0. Pathwise tangents are exact for smooth phi; for
/// piecewise phi they miss the kink term (DESIGN.md 4.6), see <see cref="FiniteDifferenceSensitivity"/>.
/// </para>
/// <para>
/// Sites go through in SIMD blocks of <c>TLanes.Count</c> (<see cref="SiteBlock{TLanes}"/>): a block's path is
/// recorded once, then all live tangents are marched together step by step (born weighted by the site weights, so
/// their lane sums are the weighted site sums), and each row's tangents are lane-summed eight directions at a time
/// (<see cref="ILanes{TSelf}.SumEach"/>). The cost per site is O(T^2 (Q P^2 + R_n P)) for the tangents and O(R C) for
/// the products with O_f (<see cref="CrossProducts{TLanes}"/>); the sums go into one accumulator per
/// <see cref="SiteLanes"/> lane, so results are bit-identical on any number of cores.
/// </para>
/// </summary>
internal static class SensitivityPass
{
    /// <summary>
    /// The moments of the sites [first, last) along <paramref name="delta"/> ([(T + 1) P]), accumulated in
    /// <paramref name="lanes"/> (per lane the moments, 2 R C doubles, the site block and the chunk buffer, created on
    /// first use and reused from group to group instead of left to the collector); the result is lane 0's moments. With
    /// <paramref name="vectorTanh"/> (phi is tanh(h), <see cref="LaneActivation{TActivation}.IsTanh"/>) phi is
    /// evaluated in SIMD.
    /// </summary>
    public static SiteMoments Run<TActivation>(SiteSystem system, int first, int last, double[] delta, SensitivityLanes lanes, CancellationToken ct, bool vectorTanh = false)
        where TActivation : struct, IActivation =>
        Lanes.UseVector512
            ? Run<TActivation, Vector512Lanes>(system, first, last, delta, lanes, ct, vectorTanh)
            : Run<TActivation, VectorLanes>(system, first, last, delta, lanes, ct, vectorTanh);

    /// <summary>
    /// As <see cref="Run{TActivation}"/> with an explicit SIMD width (the tests compare both); <paramref name="factored"/>
    /// false replays every block's tangents even where the factored form applies (the tests compare both forms).
    /// </summary>
    internal static SiteMoments Run<TActivation, TLanes>(SiteSystem system, int first, int last, double[] delta, SensitivityLanes lanes, CancellationToken ct, bool vectorTanh = false, bool factored = true)
        where TActivation : struct, IActivation
        where TLanes : struct, ILanes<TLanes>
    {
        ObservableLayout layout = system.Layout;
        int[]? causal = factored && SiteBlock<TLanes>.Factors(layout) ? layout.CausalColumns : null;
        return SiteLanes.Run(
            first,
            last,
            lane => lanes.Moments[lane]?.Clear() ?? (lanes.Moments[lane] = new SiteMoments(layout.Rows, layout.Columns)),
            (lane, from, to, moments) =>
            {
                if (lanes.Blocks[lane] is SiteBlock<TLanes> reused && reused.Serves(system, vectorTanh))
                {
                    reused.Follow(delta);
                }
                else
                {
                    lanes.Blocks[lane] = new SiteBlock<TLanes>(system, delta, vectorTanh);
                }

                var block = (SiteBlock<TLanes>)lanes.Blocks[lane]!;
                CrossProducts<TLanes> cross = Reuse<TLanes>(ref lanes.CrossProducts[lane], layout, layout.ColumnsThrough);
                CrossProducts<TLanes>? factors = causal is null ? null : Reuse<TLanes>(ref lanes.FactorProducts[lane], layout, causal);

                for (int start = from; start < to; start += TLanes.Count)
                {
                    ct.ThrowIfCancellationRequested();
                    block.Record<TActivation>(start, Math.Min(to, start + TLanes.Count));
                    block.AddMoments(moments, cross);
                    if (factors is not null && block.AddFactoredSensitivities(factors, moments.Jacobian))
                    {
                        moments.FactoredBlocks++;
                    }
                    else
                    {
                        block.AddSensitivities(moments);
                        moments.ReplayedBlocks++;
                    }
                }

                cross.Flush(moments.Cross);
                factors?.Flush(moments.Jacobian);
            },
            (target, source) => target.Add(source),
            ct);
    }

    // The lane's chunk buffer for R x C sums with these row limits, created on first use.
    private static CrossProducts<TLanes> Reuse<TLanes>(ref object? slot, ObservableLayout layout, int[] rowLimits)
        where TLanes : struct, ILanes<TLanes>
    {
        if (slot is not CrossProducts<TLanes> products || !products.Fits(layout.Rows, layout.Columns, rowLimits))
        {
            slot = products = new CrossProducts<TLanes>(layout.Rows, layout.Columns, rowLimits);
        }

        return products;
    }
}
