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
    /// <paramref name="simdActivation"/> phi and its derivatives come from the activation's generated SIMD form, otherwise
    /// from its scalar jet lane by lane (the reference the tests compare against).
    /// </summary>
    public static SiteMoments Run<TActivation>(SiteSystem system, int first, int last, double[] delta, SensitivityLanes lanes, CancellationToken ct, bool simdActivation = false,
        Action<double>? done = null)
        where TActivation : struct, IActivation =>
        Lanes.UseVector512
            ? Run<TActivation, Vector512Lanes>(system, first, last, delta, lanes, ct, simdActivation, done: done)
            : Run<TActivation, VectorLanes>(system, first, last, delta, lanes, ct, simdActivation, done: done);

    /// <summary>
    /// As <see cref="Run{TActivation}"/> with an explicit SIMD width (the tests compare both). Layouts whose site state
    /// is small (<see cref="SiteBlock{TLanes}.Factors"/>) go through <see cref="FactoredSensitivityPass"/> unless
    /// <paramref name="factored"/> is false (the tests compare both forms); the others replay every block's tangents
    /// here, one <see cref="SiteLanes"/> lane per accumulator. <paramref name="done"/> receives the fraction of the
    /// sites done, from any thread but one call at a time (long replays take minutes per group).
    /// </summary>
    internal static SiteMoments Run<TActivation, TLanes>(SiteSystem system, int first, int last, double[] delta, SensitivityLanes lanes, CancellationToken ct, bool simdActivation = false, bool factored = true,
        Action<double>? done = null)
        where TActivation : struct, IActivation
        where TLanes : struct, ILanes<TLanes>
    {
        ObservableLayout layout = system.Layout;
        if (factored && SiteBlock<TLanes>.Factors(layout))
        {
            return FactoredSensitivityPass.Run<TActivation, TLanes>(system, first, last, delta, lanes, ct, simdActivation, done);
        }

        int blocks = (last - first + TLanes.Count - 1) / TLanes.Count;
        int blocksDone = 0, blocksReported = 0;
        var reporting = new Lock();

        return SiteLanes.Run(
            first,
            last,
            lane => lanes.Moments[lane]?.Clear() ?? (lanes.Moments[lane] = new SiteMoments(layout.Rows, layout.Columns)),
            (lane, from, to, moments) =>
            {
                if (lanes.Blocks[lane] is SiteBlock<TLanes> reused && reused.Serves(system, simdActivation))
                {
                    reused.Follow(delta);
                }
                else
                {
                    lanes.Blocks[lane] = new SiteBlock<TLanes>(system, delta, simdActivation);
                }

                var block = (SiteBlock<TLanes>)lanes.Blocks[lane]!;
                if (lanes.CrossProducts[lane] is not CrossProducts<TLanes> cross || !cross.Fits(layout.Rows, layout.Columns, layout.ColumnsThrough))
                {
                    lanes.CrossProducts[lane] = cross = new CrossProducts<TLanes>(layout.Rows, layout.Columns, layout.ColumnsThrough);
                }

                for (int start = from; start < to; start += TLanes.Count)
                {
                    ct.ThrowIfCancellationRequested();
                    block.Record<TActivation>(start, Math.Min(to, start + TLanes.Count));
                    block.AddMoments(moments, cross);
                    block.AddSensitivities(moments);
                    moments.ReplayedBlocks++;
                    int count = Interlocked.Increment(ref blocksDone);
                    if (done is not null && count % 16 == 0)
                    {
                        lock (reporting)
                        {
                            // Counts can reach the lock out of order: report only forward.
                            if (count > blocksReported)
                            {
                                blocksReported = count;
                                done((double)count / blocks);
                            }
                        }
                    }
                }

                cross.Flush(moments.Cross);
            },
            (target, source) => target.Add(source),
            ct);
    }
}
