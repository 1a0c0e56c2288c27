namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// Peak memory of the two-layer fluctuation solver, in bytes, as a formula of S (all sites of the rule), d (the
/// Gaussian's dimension), Q = P + P_test, P, T, the observable rows R = (T + 1) Q + K P (P + 1) (K kernel steps: every
/// k-th and the last) and the order-parameter columns C = (T + 1) P, with L = <see cref="SiteLanes.Count"/> lanes of
/// V = 8 SIMD sites (<see cref="SiteBlock{TLanes}"/>) and chunks of 64 sites (<see cref="CrossProducts{TLanes}"/>):
/// <code>
///   8 [ S (d + Q + 2)                          rule nodes and weights, initial h and w
///     + S (Q + 1 + 3P)                         states of the mean trajectory pass
///     + (L + 1)(2 R C + 2 R)                   per-lane site moments and their sum
///     + L (V ((T + 1)(3Q + 1) + 2R + C) + 64 (R + C))   per-lane site blocks and chunk buffers
///     + 5 C^2 + 2 R                            kappa_ff, D_f, Sigma and the solves
///     + (G + 2)(R + C^2) ]                     per-group results and their combination (G groups)
///   with the O(1/N) mean shift, in addition 8 [ L (3 C (Q + 1) + 3 R) + 2 C^2 + (G + 2) R ]
///   with finite-difference sensitivities (piecewise phi), in addition 8 [ R C + (L + 3) R ]
/// </code>
/// which is O(S Q + L R C + C^2): the L R C term (every observable row against every order parameter) dominates.
/// <c>kernelEvery</c> thins the P (P + 1) kernel rows of R to the kernel steps.
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
        const long vector = 8;
        long doubles = (sites * (dimension + points + 2))
            + (sites * (points + 1 + (3L * train)))
            + ((lanes + 1) * ((2 * rows * columns) + (2 * rows)))
            + (lanes * ((vector * ((t1 * ((3L * points) + 1)) + (2 * rows) + columns)) + (64 * (rows + columns))))
            + (5 * columns * columns) + (2 * rows)
            + ((groups + 2) * (rows + (columns * columns)));
        if (bias)
        {
            doubles += (lanes * ((3 * columns * (points + 1)) + (3 * rows))) + (2 * columns * columns) + ((groups + 2) * rows);
        }

        if (finiteDifferences)
        {
            doubles += (rows * columns) + ((lanes + 3) * rows);
        }

        return 8 * doubles;
    }

    /// <summary>
    /// Bytes of the adjoint path (<see cref="AdjointVariance"/>): the rule and the mean trajectory's states over all S
    /// sites, 8 [S (d + Q + 2) + S (Q + 1 + 3P)], plus one group's sweep (<see cref="AdjointVariance.PeakBytes"/>).
    /// </summary>
    public static long AdjointPeakBytes(long sites, long groupSites, int dimension, int points, int train, int steps, int chosenSteps) =>
        (8 * ((sites * (dimension + points + 2)) + (sites * (points + 1 + (3L * train)))))
        + AdjointVariance.PeakBytes(groupSites, points, train, steps, chosenSteps);

    /// <summary>The most the solver may allocate: half the memory available to the process, at most 16 GiB.</summary>
    public static long LimitBytes => Math.Min(16L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2);
}
