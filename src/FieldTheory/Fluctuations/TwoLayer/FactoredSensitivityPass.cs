using System.Collections.Concurrent;
using FieldTheory.Compute;

namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// The site pass of <see cref="SensitivityPass"/> for layouts whose site state is small enough to factor the
/// sensitivities (<see cref="SiteBlock{TLanes}.Factors"/>, DESIGN.md 4.2): every sum the propagator needs is then a
/// product over sites, so the sites go through in chunks of <see cref="ChunkBlocks"/> SIMD blocks in three phases:
/// <list type="number">
/// <item>the chunk's blocks are recorded in parallel, each writing its weighted observables and order parameters
/// (kappa) and its factors alpha, beta (D) into its own slot of two <see cref="CrossProducts{TLanes}"/>, and its own
/// &lt;O_r&gt;, &lt;O_r^2&gt; into its own row of the chunk's means;</item>
/// <item>both products are added into the group's R x C sums in parallel over rows (each row's sums by one worker);</item>
/// <item>the blocks' means are added in block order, and blocks too badly conditioned to factor are replayed.</item>
/// </list>
/// Every sum adds its terms in site order, so results are bit-identical on any number of cores, and there is one set
/// of R x C sums instead of one per <see cref="SiteLanes"/> lane: 8 times less memory, and no per-lane sums to add.
/// </summary>
internal static class FactoredSensitivityPass
{
    /// <summary>SIMD blocks of sites per chunk.</summary>
    public const int ChunkBlocks = 32;

    /// <summary>Rows of the products per parallel task.</summary>
    private const int RowsPerTask = 32;

    /// <summary>
    /// The moments of the sites [first, last) along <paramref name="delta"/>, as <see cref="SensitivityPass.Run{TActivation}"/>;
    /// <paramref name="done"/> receives the fraction of the sites done after each chunk, on the calling thread.
    /// </summary>
    public static SiteMoments Run<TActivation, TLanes>(SiteSystem system, int first, int last, double[] delta, SensitivityLanes kept, CancellationToken ct, bool simdActivation,
        Action<double>? done = null)
        where TActivation : struct, IActivation
        where TLanes : struct, ILanes<TLanes>
    {
        ObservableLayout layout = system.Layout;
        if (kept.Factored is not State<TLanes> state || !state.Serves(layout))
        {
            kept.Factored = state = new State<TLanes>(layout);
        }

        SiteMoments moments = state.Moments.Clear();
        int lanes = TLanes.Count;
        int d = layout.Points + 1;
        int rows = layout.Rows;
        int blocks = (last - first + lanes - 1) / lanes;
        var options = new ParallelOptions { CancellationToken = ct };
        int rowTasks = (rows + RowsPerTask - 1) / RowsPerTask;
        for (int chunk = 0; chunk < blocks; chunk += ChunkBlocks)
        {
            int count = Math.Min(ChunkBlocks, blocks - chunk);
            Parallel.For(
                0,
                count,
                options,
                () => state.Rent(system, delta, simdActivation),
                (slot, _, block) =>
                {
                    int start = first + ((chunk + slot) * lanes);
                    block.Record<TActivation>(start, Math.Min(last, start + lanes));
                    block.PutMoments(state.Means.AsSpan(slot * rows, rows), state.Seconds.AsSpan(slot * rows, rows), state.Kappa, slot * lanes);
                    state.Factored[slot] = block.PutFactors(state.Factors, slot * d * lanes);
                    return block;
                },
                state.Return);

            Parallel.For(0, rowTasks, options, task =>
            {
                int from = task * RowsPerTask;
                int to = Math.Min(rows, from + RowsPerTask);
                state.Kappa.AddProducts(moments.Cross, count * lanes, from, to);
                state.Factors.AddProducts(moments.Jacobian, count * d * lanes, from, to);
            });

            SiteBlock<TLanes>? replay = null;
            for (int slot = 0; slot < count; slot++)
            {
                AddInto(moments.Mean, state.Means.AsSpan(slot * rows, rows));
                AddInto(moments.Second, state.Seconds.AsSpan(slot * rows, rows));
                if (state.Factored[slot])
                {
                    moments.FactoredBlocks++;
                    continue;
                }

                replay ??= state.Rent(system, delta, simdActivation);
                int start = first + ((chunk + slot) * lanes);
                replay.Record<TActivation>(start, Math.Min(last, start + lanes));
                replay.AddSensitivities(moments);
                moments.ReplayedBlocks++;
            }

            if (replay is not null)
            {
                state.Return(replay);
            }

            done?.Invoke((double)(chunk + count) / blocks);
        }

        return moments;
    }

    private static void AddInto(double[] target, ReadOnlySpan<double> source)
    {
        for (int k = 0; k < target.Length; k++)
        {
            target[k] += source[k];
        }
    }

    /// <summary>
    /// What the pass keeps from group to group: the moments (2 R C + 2 R doubles), the chunk's two products
    /// (<see cref="ChunkBlocks"/> V (1 + D) (R + C) doubles with V SIMD lanes and D = Q + 1), the blocks' means
    /// (2 <see cref="ChunkBlocks"/> R) and a pool of site blocks, one per worker that ran.
    /// </summary>
    private sealed class State<TLanes>
        where TLanes : struct, ILanes<TLanes>
    {
        private readonly ObservableLayout _layout;
        private readonly ConcurrentBag<SiteBlock<TLanes>> _blocks = [];

        public State(ObservableLayout layout)
        {
            _layout = layout;
            int lanes = TLanes.Count;
            int d = layout.Points + 1;
            Moments = new SiteMoments(layout.Rows, layout.Columns);
            Kappa = new CrossProducts<TLanes>(layout.Rows, layout.Columns, layout.ColumnsThrough, ChunkBlocks * lanes);
            Factors = new CrossProducts<TLanes>(layout.Rows, layout.Columns, layout.CausalColumns, ChunkBlocks * d * lanes);
            Means = new double[ChunkBlocks * layout.Rows];
            Seconds = new double[ChunkBlocks * layout.Rows];
        }

        public SiteMoments Moments { get; }

        public CrossProducts<TLanes> Kappa { get; }

        public CrossProducts<TLanes> Factors { get; }

        /// <summary>&lt;O_r&gt; of each block of the chunk, [slot][r].</summary>
        public double[] Means { get; }

        /// <summary>&lt;O_r^2&gt; of each block of the chunk, [slot][r].</summary>
        public double[] Seconds { get; }

        /// <summary>Whether each block of the chunk was factored (else it is replayed).</summary>
        public bool[] Factored { get; } = new bool[ChunkBlocks];

        public bool Serves(ObservableLayout layout) => ReferenceEquals(layout, _layout);

        public SiteBlock<TLanes> Rent(SiteSystem system, double[] delta, bool simdActivation)
        {
            while (_blocks.TryTake(out SiteBlock<TLanes>? block))
            {
                if (block.Serves(system, simdActivation))
                {
                    block.Follow(delta);
                    return block;
                }
            }

            return new SiteBlock<TLanes>(system, delta, simdActivation);
        }

        public void Return(SiteBlock<TLanes> block) => _blocks.Add(block);
    }
}
