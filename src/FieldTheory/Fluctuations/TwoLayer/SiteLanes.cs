namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// Deterministic parallel site loops: a site range is cut into a fixed number of contiguous lanes (independent of the
/// machine's thread count), each lane is walked in index order by one worker with its own accumulator, and the lanes'
/// accumulators are added in lane order. Results are therefore bit-identical on any number of cores.
/// </summary>
internal static class SiteLanes
{
    /// <summary>Lanes per site range: enough to keep a 16-core machine busy, few enough to bound accumulator memory.</summary>
    public const int Count = 8;

    /// <summary>The sites [start, end) of lane <paramref name="lane"/> of the range [first, last).</summary>
    public static (int Start, int End) Range(int first, int last, int lane)
    {
        long length = last - first;
        return ((int)(first + (length * lane / Count)), (int)(first + (length * (lane + 1) / Count)));
    }

    /// <summary>
    /// Runs <paramref name="body"/>(start, end, accumulator) for every lane in parallel, then adds the
    /// accumulators into the first in lane order with <paramref name="add"/> and returns it.
    /// </summary>
    public static T Run<T>(int first, int last, Func<T> create, Action<int, int, T> body, Action<T, T> add, CancellationToken ct) =>
        Run(first, last, _ => create(), body, add, ct);

    /// <summary>
    /// As <see cref="Run{T}(int, int, Func{T}, Action{int, int, T}, Action{T, T}, CancellationToken)"/>, with the
    /// accumulator of each lane from <paramref name="create"/>(lane), so that callers can hand out reused ones.
    /// </summary>
    public static T Run<T>(int first, int last, Func<int, T> create, Action<int, int, T> body, Action<T, T> add, CancellationToken ct) =>
        Run(first, last, create, (_, start, end, accumulator) => body(start, end, accumulator), add, ct);

    /// <summary>
    /// As <see cref="Run{T}(int, int, Func{int, T}, Action{int, int, T}, Action{T, T}, CancellationToken)"/>, with the
    /// lane passed to <paramref name="body"/>(lane, start, end, accumulator), for per-lane scratch kept by the caller.
    /// </summary>
    public static T Run<T>(int first, int last, Func<int, T> create, Action<int, int, int, T> body, Action<T, T> add, CancellationToken ct)
    {
        var accumulators = new T[Count];
        var options = new ParallelOptions { CancellationToken = ct };
        Parallel.For(0, Count, options, lane =>
        {
            (int start, int end) = Range(first, last, lane);
            var accumulator = create(lane);
            body(lane, start, end, accumulator);
            accumulators[lane] = accumulator;
        });
        for (int lane = 1; lane < Count; lane++)
        {
            add(accumulators[0], accumulators[lane]);
        }

        return accumulators[0];
    }
}
