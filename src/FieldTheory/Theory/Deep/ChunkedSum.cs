namespace FieldTheory.Theory.Deep;

/// <summary>
/// Parallel sums over samples that do not depend on the thread count: samples are cut into chunks of a fixed size,
/// each chunk adds into its own buffer, and the buffers are added in chunk order.
/// </summary>
internal static class ChunkedSum
{
    public const int ChunkSize = 128;

    /// <summary>
    /// Runs <paramref name="body"/>(first, last, partial) over chunks of [0, count) in parallel and returns the sum of
    /// the partial buffers of length <paramref name="width"/>.
    /// </summary>
    public static double[] Run(int count, int width, Action<int, int, double[]> body, CancellationToken ct)
    {
        int chunks = (count + ChunkSize - 1) / ChunkSize;
        var partials = new double[chunks][];
        Parallel.For(0, chunks, new ParallelOptions { CancellationToken = ct }, chunk =>
        {
            var partial = new double[width];
            int first = chunk * ChunkSize;
            body(first, Math.Min(count, first + ChunkSize), partial);
            partials[chunk] = partial;
        });

        var total = new double[width];
        foreach (double[] partial in partials)
        {
            for (int k = 0; k < width; k++)
            {
                total[k] += partial[k];
            }
        }

        return total;
    }
}
