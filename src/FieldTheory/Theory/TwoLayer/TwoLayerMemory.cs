namespace FieldTheory.Theory.TwoLayer;

/// <summary>
/// Peak memory of <see cref="TwoLayerSolver{TActivation}"/>, in bytes, as a formula of S (all sites, every group), d (the
/// Gaussian's dimension), Q = P + P_test, P, T, R (groups) and C (chunks = ceil over groups of sites / 64):
/// <code>
///   8 [ S (d + Q + 2P + 2)                     nodes, h, w, weights, phi and phi'
///     + 2 C (Q + 2 P^2)                        partial sums on the device and their host copy
///     + R (T + 1)(2Q + P + 3 P^2) + (T + 1)(2Q + 4 P + 8 P^2)     per-group records, combined series
///   with two-time kernels, in addition:
///     + 2 S (T + 1) P + 4 C (T + 1) P^2        site history, two-time partial sums (device and host)
///     + 2 R (T + 1)^2 P^2 + 8 (T + 1)^2 P^2 ]  per-group and combined Phi^1(n, m), G^1(n, m)
/// </code>
/// </summary>
internal static class TwoLayerMemory
{
    /// <summary>Sites per chunk: the unit of deterministic partial summation.</summary>
    public const int ChunkSize = 64;

    /// <summary>Bytes the solver allocates at its peak.</summary>
    public static long PeakBytes(long sites, int dimension, int points, int train, int steps, int groups, long chunks, bool twoTime)
    {
        long t1 = steps + 1L;
        long pairs = (long)train * train;
        long doubles = (sites * (dimension + points + (2L * train) + 2))
            + (2 * chunks * (points + (2 * pairs)))
            + (groups * t1 * ((2L * points) + train + (3 * pairs)))
            + (t1 * ((2L * points) + (4L * train) + (8 * pairs)));
        if (twoTime)
        {
            doubles += (2 * sites * t1 * train) + (4 * chunks * t1 * pairs) + (2 * groups * t1 * t1 * pairs) + (8 * t1 * t1 * pairs);
        }

        return 8 * doubles;
    }

    /// <summary>The most a solver may allocate: half the memory available to the process, at most 16 GiB.</summary>
    public static long LimitBytes => Math.Min(16L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2);
}
