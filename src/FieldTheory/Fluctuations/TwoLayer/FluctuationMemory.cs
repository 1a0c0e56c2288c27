using FieldTheory.Compute;
using FieldTheory.Theory.TwoLayer;

namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// Peak memory of the two-layer fluctuation solver, in bytes, as a formula of S (all sites of the rule), d (the
/// Gaussian's dimension), Q = P + P_test, P, T, the observable rows R = (T + 1) Q + K P (P + 1) (K kernel steps: every
/// k-th and the last) and the order-parameter columns C = (T + 1) P, with V SIMD sites per block (<see cref="SiteBlock{TLanes}"/>:
/// <see cref="Lanes.Widest"/>, 8 with AVX-512, else 4).
/// Small site states (Q + 1 &lt;= <see cref="SiteBlock{TLanes}.MaxFactoredState"/>) go through
/// <see cref="FactoredSensitivityPass"/> (one set of moments, chunks of B = <see cref="FactoredSensitivityPass.ChunkBlocks"/>
/// blocks, W site blocks: one per worker, at most B, plus one), the others through L = <see cref="SiteLanes.Count"/>
/// lanes with their own moments and chunks of 64 sites (<see cref="CrossProducts{TLanes}"/>):
/// <code>
///   8 [ S (d + Q + 2) ]                        rule nodes and weights, initial h and w
///   + max(saddle, 8 [ pass                     see below
///     + 5 C (C + 24) + 2 R C + 24 C + 4 R      kappa_ff, D_f, Sigma and the solves (rows padded to whole tiles of
///                                              <see cref="TriangularTiles"/>), the row variances' kappa_fr and D_O
///     + (G + 2)(R + C^2) ])                    per-group results and their combination (G groups)
///   saddle: every group's Delta(n) by the SIMD CPU solver first, <see cref="TwoLayerMemory.PeakBytes"/> with
///   ceil(S / 64) + G chunks (its buffers are garbage before the pass starts)
///   pass, factored: 2 R C + 2 R + B V (1 + D)(R + C) + 2 B R                 moments, chunk products, block means
///                   + W (V ((T + 1)(3Q + 1) + 2R + C) + 6 D^2 V)   site blocks (D = Q + 1; their factors go straight into the chunk)
///   pass, replayed: (L + 1)(2 R C + 2 R) + L (V ((T + 1)(3Q + 1) + 2R + C) + 64 (R + C))
///   with the O(1/N) mean shift, in addition 8 [ L (3 C (Q + 1) + 3 R) + 2 C^2 + (G + 2) R ]
///   with finite-difference sensitivities (piecewise phi), in addition 8 [ R C + (L + 3) R ]
/// </code>
/// which is O(S Q + R C + C^2) factored and O(S Q + L R C + C^2) replayed: the R C moments (every observable row
/// against every order parameter) dominate. <c>kernelEvery</c> thins the P (P + 1) kernel rows of R to the kernel steps.
/// </summary>
internal static class FluctuationMemory
{
    /// <summary>Bytes the solver allocates at its peak.</summary>
    public static long PeakBytes(long sites, int dimension, int points, int train, int steps, int groups, bool bias, bool finiteDifferences, int kernelEvery = 1)
    {
        long t1 = steps + 1L;
        long rows = new ObservableLayout(points, train, steps, kernelEvery).Rows;
        long columns = t1 * train;
        long lanes = SiteLanes.Count;
        long vector = Lanes.Widest;
        long block = (vector * ((t1 * ((3L * points) + 1)) + (2 * rows) + columns));
        long pass;
        if (points + 1 <= SiteBlock<VectorLanes>.MaxFactoredState)
        {
            long state = points + 1L;
            long chunk = FactoredSensitivityPass.ChunkBlocks;
            long workers = Math.Min(Environment.ProcessorCount, chunk) + 1;
            pass = (2 * rows * columns) + (2 * rows) + (chunk * vector * (1 + state) * (rows + columns)) + (2 * chunk * rows)
                + (workers * (block + (6 * state * state * vector)));
        }
        else
        {
            pass = ((lanes + 1) * ((2 * rows * columns) + (2 * rows))) + (lanes * (block + (64 * (rows + columns))));
        }

        long doubles = pass
            + (5 * columns * (columns + TriangularTiles.ColumnAlignment)) + (2 * rows * columns) + (TriangularTiles.ColumnAlignment * columns) + (4 * rows)
            + ((groups + 2) * (rows + (columns * columns)));
        if (bias)
        {
            doubles += (lanes * ((3 * columns * (points + 1)) + (3 * rows))) + (2 * columns * columns) + ((groups + 2) * rows);
        }

        if (finiteDifferences)
        {
            doubles += (rows * columns) + ((lanes + 3) * rows);
        }

        long saddle = TwoLayerMemory.PeakBytes(sites, dimension, points, train, steps, groups, (sites / TwoLayerMemory.ChunkSize) + 1 + groups, twoTime: false);
        return (8 * sites * (dimension + points + 2)) + Math.Max(saddle, 8 * doubles);
    }

    /// <summary>
    /// Bytes of the adjoint path (<see cref="AdjointVariance"/>): the rule over all S sites, 8 S (d + Q + 2), plus the
    /// larger of the saddle solve (as in <see cref="PeakBytes"/>) and one group's sweep (<see cref="AdjointVariance.PeakBytes"/>).
    /// </summary>
    public static long AdjointPeakBytes(long sites, long groupSites, int groups, int dimension, int points, int train, int steps, int chosenSteps) =>
        (8 * sites * (dimension + points + 2))
        + Math.Max(
            TwoLayerMemory.PeakBytes(sites, dimension, points, train, steps, groups, (sites / TwoLayerMemory.ChunkSize) + 1 + groups, twoTime: false),
            AdjointVariance.PeakBytes(groupSites, points, train, steps, chosenSteps));

    /// <summary>The most the solver may allocate: half the memory available to the process, at most 16 GiB.</summary>
    public static long LimitBytes => Math.Min(16L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2);
}
