namespace FieldTheory.Theory.TwoLayer;

/// <summary>
/// Peak memory of <see cref="TwoLayerSolver{TActivation}"/> and <see cref="TwoLayerCpuSolver{TActivation}"/> (the larger of
/// the two), in bytes, as a formula of S (all sites, every group), d
/// (the Gaussian's dimension), Q = P + P_test, P, T, R (groups) and C (chunks = sum over groups of ceil(sites / 64)):
/// <code>
///   8 [ S (d + 2Q + 2P + 3)                              nodes, h and w (host and device), weights, phi and phi'
///     + 2 C (Q + 2 P^2)                                  partial sums on the device and their host copy
///     + R (T + 1)(2Q + P + 4 P^2)                        per-group records (f, Delta, Phi, G, NTK, loss)
///     + 2 (T + 1)(Q + P + 3 P^2) ]                       combined series, estimate and error
///   + 32 * 2 (T + 1)(3 + 3P)                             row headers of the combined (jagged) series
///   + 8 (64 C - S)(Q + 2P + 2)                           the CPU solver's padding of every chunk to 64 slots
///   without two-time kernels, in addition (the ILGPU solver keeps every step's group sums on the device):
///   8 [ 2 R (T + 1)(Q + 2 P^2) + (R + 1) P ]             group sums (device and host), initial f, targets
///   (on a GPU, one thread per site, the device's partial sums are S (Q + 2 P^2) doubles instead of C (Q + 2 P^2):
///   GPU memory, which this host-side formula does not count)
///   with two-time kernels, in addition:
///   8 [ 2 S (T + 1) P + 4 C (T + 1) P^2                  site history, two-time partial sums (device and host)
///     + 2 (R + 2)(T + 1)^2 P^2 + 2 (T + 1)^2 P^2 ]      per-group, combined (estimate, error) and output Phi^1, G^1
///   + 32 * 2 (T + 1)^2 (P + 1)                           row headers of the output
///   + 8 * 2 (64 C - S)(T + 1) P                          padding of the CPU solver's history
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
        const long RowHeader = 32;
        long doubles = (sites * (dimension + (2L * points) + (2L * train) + 3))
            + (2 * chunks * (points + (2 * pairs)))
            + (groups * t1 * ((2L * points) + train + (4 * pairs)))
            + (2 * t1 * (points + train + (3 * pairs)));
        long padding = (ChunkSize * chunks) - sites;
        doubles += padding * (points + (2L * train) + 2);
        long rows = 2 * t1 * (3 + (3L * train));
        if (!twoTime)
        {
            doubles += (2 * groups * t1 * (points + (2 * pairs))) + ((groups + 1L) * train);
        }
        else
        {
            doubles += (2 * sites * t1 * train) + (4 * chunks * t1 * pairs) + (2 * (groups + 2) * t1 * t1 * pairs) + (2 * t1 * t1 * pairs);
            doubles += 2 * padding * t1 * train;
            rows += 2 * t1 * t1 * (train + 1L);
        }

        return (8 * doubles) + (RowHeader * rows);
    }

    /// <summary>The most a solver may allocate: half the memory available to the process, at most 16 GiB.</summary>
    public static long LimitBytes => Math.Min(16L << 30, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2);
}
