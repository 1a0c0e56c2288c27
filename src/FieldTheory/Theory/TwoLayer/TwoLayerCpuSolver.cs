using FieldTheory.Compute;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FieldTheory.Results;
using FieldTheory.Theory.Integration;

namespace FieldTheory.Theory.TwoLayer;

/// <summary>
/// The two-layer forward integration (DESIGN.md 3.1) on the CPU without ILGPU: the same chunks and the same update as
/// <see cref="TwoLayerKernels.Step{TActivation}"/>, but sites are stored structure-of-arrays in slots of
/// <see cref="TwoLayerMemory.ChunkSize"/> (one slot per chunk, padded with weight-0 copies of the chunk's last site)
/// and processed a SIMD vector at a time (<see cref="Lanes"/>: AVX-512 where available). The rule's groups (its
/// independent randomisations) evolve independently, each with its own Delta, so each thread takes whole groups and
/// runs all T + 1 steps of them without meeting the others (<see cref="BlockWorkers"/>); a group's chunk sums are added
/// in chunk order, so results are bit-identical for any number of threads. Peak memory:
/// <see cref="TwoLayerMemory.PeakBytes"/>.
/// </summary>
/// <typeparam name="TActivation">The model's generated activation.</typeparam>
/// <param name="lanes">phi and phi' by the generated SIMD form, or the scalar jet lane by lane.</param>
internal sealed class TwoLayerCpuSolver<TActivation>(LaneActivation<TActivation> lanes) : ITwoLayerSolver
    where TActivation : struct, IActivation
{
    /// <inheritdoc />
    public string Backend => $"SIMD CPU solver ({lanes.Lanes}), {lanes.Activation}";

    /// <summary>
    /// Sites per thread below which another thread costs more than it saves (the threads never wait for each other,
    /// but each starts once per solve and brings its own caches in): measured on the 2-core VM (tanh, P = 1, T = 320,
    /// sites after pruning and folding), 1560 sites took 2.15 ms on one thread and 2.25 on two, 5392 sites 4.0 and 2.5.
    /// </summary>
    public const int MinSitesPerThread = 1600;

    /// <summary>Threads for <paramref name="sites"/> sites when the caller does not say: one per core, at most one per <see cref="MinSitesPerThread"/>.</summary>
    public static int DefaultBlocks(int sites) => Math.Clamp(sites / MinSitesPerThread, 1, Environment.ProcessorCount);

    /// <inheritdoc />
    public TwoLayerSolution Solve(TwoLayerProblem problem, SiteRule rule, int? threads, IProgress<double>? progress, CancellationToken ct)
    {
        var sites = new SlotSites(problem, rule, lanes);
        int groups = rule.Groups;
        int blocks = Math.Clamp(threads ?? DefaultBlocks(rule.Count), 1, groups);
        int t1 = problem.Steps + 1;
        int stride = sites.Stride;
        int rowLength = 2 * problem.Train * problem.Train * t1;
        var record = new GroupRecord(groups, t1, problem.Points, problem.Train, problem.RecordTwoTime);
        int[] groupChunks = SiteLayout.GroupChunks(sites.ChunkTable, sites.Chunks, groups);
        var scratch = new Scratch[blocks];
        BlockWorkers.Run(
            blocks,
            (b, token) =>
            {
                // Block b takes groups [first, end) and with them their chunks.
                int first = b * groups / blocks;
                int end = (b + 1) * groups / blocks;
                scratch[b] = new Scratch(sites);
                var sums = new double[stride];
                var twoTimeSums = new double[problem.RecordTwoTime ? rowLength : 0];
                var delta = new double[problem.Train];
                for (int step = 0; step < t1; step++)
                {
                    sites.Advance(groupChunks[first], groupChunks[end], step, scratch[b]);
                    for (int g = first; g < end; g++)
                    {
                        SiteLayout.ReduceChunks(sites.Partial, groupChunks[g], groupChunks[g + 1], stride, sums);
                        record.Observe(g, step, sums, problem, delta);
                        if (problem.RecordTwoTime)
                        {
                            SiteLayout.ReduceChunks(sites.TwoTime, groupChunks[g], groupChunks[g + 1], rowLength, twoTimeSums);
                            record.ObserveTwoTime(g, step, twoTimeSums);
                        }

                        sites.SetDelta(g, delta);
                    }

                    if (b == 0)
                    {
                        progress?.Report((double)(step + 1) / t1);
                    }

                    token.ThrowIfCancellationRequested();
                }
            },
            ct);

        (Series mean, Series error, TwoTimeKernels? kernels) = record.Combine(rule, problem);
        long bytes = sites.Bytes + (blocks * scratch[0].Bytes);
        return new TwoLayerSolution(mean, error, kernels, bytes, record.Deltas);
    }

    /// <summary>
    /// One block's vector accumulators: Q + 2 P^2 for the site sums (or, on the one-point path, the three sums of each
    /// of <c>Count</c> chunks before their transposing reduction), (T + 1) 2 P^2 for the two-time sums.
    /// </summary>
    private sealed class Scratch(SlotSites sites)
    {
        public double[] Sums { get; } = new double[Math.Max(sites.Stride, SlotSites.SinglePointSums * Lanes.Widest) * Lanes.Widest];

        public double[] TwoTime { get; } = new double[sites.TwoTimeRow * Lanes.Widest];

        public long Bytes => (long)(Sums.Length + TwoTime.Length) * sizeof(double);
    }

    /// <summary>
    /// The sites in slots, structure of arrays: h[mu][slot], w, weight, phi(h_a), phi'(h_a) at the last observed step,
    /// and with two-time kernels the history phi(h_a(m)), w(m) phi'(h_a(m)) as [m][2P][slot].
    /// </summary>
    private sealed class SlotSites
    {
        private readonly int _q;
        private readonly int _n;
        private readonly int _slots;
        private readonly int _t1;
        private readonly double _stepScale;
        private readonly double[] _h;
        private readonly double[] _w;
        private readonly double[] _weight;
        private readonly double[] _phi;
        private readonly double[] _dphi;
        private readonly double[] _history;
        private readonly double[] _inputColumns;
        private readonly double[] _coupling;
        private readonly double[] _scaledDelta;

        private readonly LaneActivation<TActivation> _lanes;

        public SlotSites(TwoLayerProblem problem, SiteRule rule, LaneActivation<TActivation> lanes)
        {
            _lanes = lanes;
            _q = problem.Points;
            _n = problem.Train;
            _t1 = problem.Steps + 1;
            _stepScale = problem.Eta * problem.Gamma0;
            ChunkTable = SiteLayout.ChunkTable(rule, out int chunks);
            Chunks = chunks;
            Stride = _q + (2 * _n * _n);
            TwoTimeRow = problem.RecordTwoTime ? 2 * _n * _n * _t1 : 0;
            _slots = chunks * TwoLayerMemory.ChunkSize;
            _h = new double[(long)_q * _slots];
            _w = new double[_slots];
            _weight = new double[_slots];
            _phi = new double[(long)_n * _slots];
            _dphi = new double[(long)_n * _slots];
            _history = new double[(long)TwoTimeRow / _n * _slots];
            _inputColumns = SiteLayout.TrainColumns(problem);
            _coupling = new double[rule.Groups * _q * _n];
            _scaledDelta = new double[rule.Groups * _n];
            Partial = new double[chunks * Stride];
            TwoTime = new double[(long)chunks * TwoTimeRow];

            (double[] h0, double[] w0) = SiteLayout.InitialSites(problem, rule);
            for (int c = 0; c < chunks; c++)
            {
                int first = ChunkTable[c];
                int last = ChunkTable[c + 1] - 1;
                for (int k = 0; k < TwoLayerMemory.ChunkSize; k++)
                {
                    int slot = (c * TwoLayerMemory.ChunkSize) + k;
                    int site = Math.Min(first + k, last);
                    for (int mu = 0; mu < _q; mu++)
                    {
                        _h[((long)mu * _slots) + slot] = h0[((long)site * _q) + mu];
                    }

                    _w[slot] = w0[site];
                    _weight[slot] = first + k <= last ? rule.Weights[site] : 0.0;
                }
            }
        }

        /// <summary>Sums per chunk on the one-point path: f, Phi and G.</summary>
        public const int SinglePointSums = 3;

        /// <summary>C.</summary>
        public int Chunks { get; }

        /// <summary>Chunk starts (C + 1), then each chunk's group (C), as <see cref="SiteLayout.ChunkTable"/>.</summary>
        public int[] ChunkTable { get; }

        /// <summary>Partial sums per chunk: Q + 2 P^2.</summary>
        public int Stride { get; }

        /// <summary>Two-time partial sums per chunk: 2 P^2 (T + 1), or 0 without two-time kernels.</summary>
        public int TwoTimeRow { get; }

        /// <summary>Site sums of the current step, [chunk][Stride].</summary>
        public double[] Partial { get; }

        /// <summary>Two-time sums of the current step, [chunk][m][Phi | G][mu][nu].</summary>
        public double[] TwoTime { get; }

        /// <summary>Bytes of the arrays above.</summary>
        public long Bytes => 8L * (_h.Length + _w.Length + _weight.Length + _phi.Length + _dphi.Length + _history.Length
            + _inputColumns.Length + _coupling.Length + _scaledDelta.Length + Partial.Length + TwoTime.Length) + (4L * ChunkTable.Length);

        /// <summary>Takes group <paramref name="g"/>'s Delta(n) for the update to step n + 1: eta gamma0 K^x_{mu a} Delta_a and eta gamma0 Delta_a.</summary>
        public void SetDelta(int g, ReadOnlySpan<double> delta)
        {
            for (int a = 0; a < _n; a++)
            {
                double scaled = _stepScale * delta[a];
                _scaledDelta[(g * _n) + a] = scaled;
                for (int mu = 0; mu < _q; mu++)
                {
                    _coupling[(((g * _q) + mu) * _n) + a] = _inputColumns[(mu * _n) + a] * scaled;
                }
            }
        }

        /// <summary>
        /// Chunks [first, end) to <paramref name="step"/>: for n &gt; 0 first the update with Delta(n-1) and the old h, w,
        ///     h_mu += w sum_a eta gamma0 K^x_{mu a} Delta_a phi'(h_a),   w += sum_a eta gamma0 Delta_a phi(h_a),
        /// then phi, phi' at step n and each chunk's sums (see <see cref="TwoLayerKernels.Step{TActivation}"/>).
        /// </summary>
        public void Advance(int first, int end, int step, Scratch scratch)
        {
            var kernel = new AdvanceKernel(this, first, end, step, scratch);
            _lanes.Run(ref kernel);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void AdvanceChunk<TFunction, TLanes>(int c, int step, Scratch scratch)
            where TFunction : struct, ILaneFunction
            where TLanes : struct, ILanes<TLanes>
        {
            int q = _q;
            int n = _n;
            int pairs = n * n;
            int group = ChunkTable[Chunks + 1 + c];
            Span<TLanes> sums = MemoryMarshal.Cast<double, TLanes>(scratch.Sums.AsSpan(0, Stride * TLanes.Count));
            Span<TLanes> twoTime = MemoryMarshal.Cast<double, TLanes>(scratch.TwoTime.AsSpan(0, (TwoTimeRow == 0 ? 0 : (step + 1) * 2 * pairs) * TLanes.Count));
            sums.Clear();
            twoTime.Clear();
            ReadOnlySpan<double> coupling = _coupling.AsSpan(group * q * n, q * n);
            ReadOnlySpan<double> scaledDelta = _scaledDelta.AsSpan(group * n, n);
            ref double h = ref MemoryMarshal.GetArrayDataReference(_h);
            ref double phi = ref MemoryMarshal.GetArrayDataReference(_phi);
            ref double dphi = ref MemoryMarshal.GetArrayDataReference(_dphi);
            ref double wRef = ref MemoryMarshal.GetArrayDataReference(_w);
            ref double weightRef = ref MemoryMarshal.GetArrayDataReference(_weight);
            int end = (c + 1) * TwoLayerMemory.ChunkSize;
            for (int slot = c * TwoLayerMemory.ChunkSize; slot < end; slot += TLanes.Count)
            {
                TLanes w = TLanes.Load(ref wRef, (nuint)slot);
                if (step > 0)
                {
                    TLanes dw = TLanes.Create(scaledDelta[0]) * TLanes.Load(ref phi, (nuint)slot);
                    for (int a = 1; a < n; a++)
                    {
                        dw = TLanes.FusedMultiplyAdd(TLanes.Create(scaledDelta[a]), TLanes.Load(ref phi, (nuint)((a * _slots) + slot)), dw);
                    }

                    for (int mu = 0; mu < q; mu++)
                    {
                        TLanes field = TLanes.Create(coupling[mu * n]) * TLanes.Load(ref dphi, (nuint)slot);
                        for (int a = 1; a < n; a++)
                        {
                            field = TLanes.FusedMultiplyAdd(TLanes.Create(coupling[(mu * n) + a]), TLanes.Load(ref dphi, (nuint)((a * _slots) + slot)), field);
                        }

                        nuint at = (nuint)((mu * _slots) + slot);
                        TLanes.FusedMultiplyAdd(w, field, TLanes.Load(ref h, at)).Store(ref h, at);
                    }

                    w += dw;
                    w.Store(ref wRef, (nuint)slot);
                }

                TLanes weight = TLanes.Load(ref weightRef, (nuint)slot);
                TLanes weightedW = weight * w;
                for (int mu = 0; mu < q; mu++)
                {
                    TFunction.Apply(TLanes.Load(ref h, (nuint)((mu * _slots) + slot)), out TLanes value, out TLanes derivative);
                    if (mu < n)
                    {
                        value.Store(ref phi, (nuint)((mu * _slots) + slot));
                        derivative.Store(ref dphi, (nuint)((mu * _slots) + slot));
                    }

                    sums[mu] = TLanes.FusedMultiplyAdd(weightedW, value, sums[mu]);
                }

                TLanes weightedW2 = weightedW * w;
                for (int mu = 0; mu < n; mu++)
                {
                    TLanes phiMu = weight * TLanes.Load(ref phi, (nuint)((mu * _slots) + slot));
                    TLanes gradMu = weightedW2 * TLanes.Load(ref dphi, (nuint)((mu * _slots) + slot));
                    for (int nu = 0; nu < n; nu++)
                    {
                        sums[q + (mu * n) + nu] = TLanes.FusedMultiplyAdd(phiMu, TLanes.Load(ref phi, (nuint)((nu * _slots) + slot)), sums[q + (mu * n) + nu]);
                        sums[q + pairs + (mu * n) + nu] = TLanes.FusedMultiplyAdd(gradMu, TLanes.Load(ref dphi, (nuint)((nu * _slots) + slot)), sums[q + pairs + (mu * n) + nu]);
                    }
                }

                if (TwoTimeRow > 0)
                {
                    RecordHistory(slot, step, w, weight, twoTime);
                }
            }

            ReduceEach(sums, Partial.AsSpan(c * Stride, Stride));
            Span<double> twoTimePartial = TwoTime.AsSpan(c * TwoTimeRow, twoTime.Length);
            for (int k = 0; k < twoTime.Length; k++)
            {
                twoTimePartial[k] = twoTime[k].Sum();
            }
        }

        /// <summary>
        /// <see cref="AdvanceChunk{TFunction, TLanes}"/> over chunks [first, end) for one training point and no test
        /// points or two-time kernels (the shape of most two-layer studies): the three sums of a chunk in registers, and
        /// every <c>TLanes.Count</c> chunks' sums reduced together (<see cref="ReduceEach{TLanes}"/>). The same
        /// operations in the same order as the general path, so the same bits.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void AdvanceSinglePointChunks<TFunction, TLanes>(int first, int end, int step, Scratch scratch)
            where TFunction : struct, ILaneFunction
            where TLanes : struct, ILanes<TLanes>
        {
            const int Sums = SinglePointSums;
            ref double h = ref MemoryMarshal.GetArrayDataReference(_h);
            ref double phi = ref MemoryMarshal.GetArrayDataReference(_phi);
            ref double dphi = ref MemoryMarshal.GetArrayDataReference(_dphi);
            ref double wRef = ref MemoryMarshal.GetArrayDataReference(_w);
            ref double weightRef = ref MemoryMarshal.GetArrayDataReference(_weight);
            Span<TLanes> chunkSums = MemoryMarshal.Cast<double, TLanes>(scratch.Sums.AsSpan(0, Sums * TLanes.Count * TLanes.Count));
            for (int batch = first; batch < end; batch += TLanes.Count)
            {
                int batchEnd = Math.Min(batch + TLanes.Count, end);
                for (int c = batch; c < batchEnd; c++)
                {
                    int group = ChunkTable[Chunks + 1 + c];
                    TLanes coupling = TLanes.Create(_coupling[group]);
                    TLanes scaledDelta = TLanes.Create(_scaledDelta[group]);
                    TLanes sumF = TLanes.Zero, sumPhi = TLanes.Zero, sumG = TLanes.Zero;
                    int slotEnd = (c + 1) * TwoLayerMemory.ChunkSize;
                    for (int slot = c * TwoLayerMemory.ChunkSize; slot < slotEnd; slot += TLanes.Count)
                    {
                        nuint at = (nuint)slot;
                        TLanes w = TLanes.Load(ref wRef, at);
                        if (step > 0)
                        {
                            TLanes dw = scaledDelta * TLanes.Load(ref phi, at);
                            TLanes field = coupling * TLanes.Load(ref dphi, at);
                            TLanes.FusedMultiplyAdd(w, field, TLanes.Load(ref h, at)).Store(ref h, at);
                            w += dw;
                            w.Store(ref wRef, at);
                        }

                        TLanes weight = TLanes.Load(ref weightRef, at);
                        TLanes weightedW = weight * w;
                        TFunction.Apply(TLanes.Load(ref h, at), out TLanes value, out TLanes derivative);
                        value.Store(ref phi, at);
                        derivative.Store(ref dphi, at);
                        sumF = TLanes.FusedMultiplyAdd(weightedW, value, sumF);
                        sumPhi = TLanes.FusedMultiplyAdd(weight * value, value, sumPhi);
                        sumG = TLanes.FusedMultiplyAdd(weightedW * w * derivative, derivative, sumG);
                    }

                    int at3 = (c - batch) * Sums;
                    chunkSums[at3] = sumF;
                    chunkSums[at3 + 1] = sumPhi;
                    chunkSums[at3 + 2] = sumG;
                }

                ReduceEach(chunkSums[..((batchEnd - batch) * Sums)], Partial.AsSpan(batch * Stride, (batchEnd - batch) * Stride));
            }
        }

        // target[k] = the sum of the lanes of vectors[k], a transposing reduction per TLanes.Count vectors; each sum in
        // the lane order of ILanes.Sum, so the same bits as one Sum per vector.
        private static void ReduceEach<TLanes>(ReadOnlySpan<TLanes> vectors, Span<double> target)
            where TLanes : struct, ILanes<TLanes>
        {
            int k = 0;
            for (; k + TLanes.Count <= vectors.Length; k += TLanes.Count)
            {
                TLanes.SumEach(vectors.Slice(k, TLanes.Count)).Store(ref target[k], 0);
            }

            for (; k < vectors.Length; k++)
            {
                target[k] = vectors[k].Sum();
            }
        }

        /// <summary>Chunks [first, end) of <see cref="Advance"/>, specialised by <see cref="LaneActivation{TActivation}.Run{TKernel}"/>.</summary>
        private readonly struct AdvanceKernel(SlotSites sites, int first, int end, int step, Scratch scratch) : ILaneKernel
        {
            public void Run<TFunction, TLanes>()
                where TFunction : struct, ILaneFunction
                where TLanes : struct, ILanes<TLanes>
            {
                if (sites._q == 1 && sites.TwoTimeRow == 0)
                {
                    sites.AdvanceSinglePointChunks<TFunction, TLanes>(first, end, step, scratch);
                    return;
                }

                for (int c = first; c < end; c++)
                {
                    sites.AdvanceChunk<TFunction, TLanes>(c, step, scratch);
                }
            }
        }

        // Stores phi(h_a(n)) and w(n) phi'(h_a(n)) and adds their products with every earlier step's to the chunk's sums.
        private void RecordHistory<TLanes>(int slot, int step, TLanes w, TLanes weight, Span<TLanes> twoTime)
            where TLanes : struct, ILanes<TLanes>
        {
            int n = _n;
            int pairs = n * n;
            ref double history = ref MemoryMarshal.GetArrayDataReference(_history);
            long own = (long)step * 2 * n;
            for (int a = 0; a < n; a++)
            {
                TLanes.Load(ref MemoryMarshal.GetArrayDataReference(_phi), (nuint)((a * _slots) + slot)).Store(ref history, (nuint)(((own + a) * _slots) + slot));
                (w * TLanes.Load(ref MemoryMarshal.GetArrayDataReference(_dphi), (nuint)((a * _slots) + slot))).Store(ref history, (nuint)(((own + n + a) * _slots) + slot));
            }

            for (int m = 0; m <= step; m++)
            {
                long earlier = (long)m * 2 * n;
                int target = m * 2 * pairs;
                for (int mu = 0; mu < n; mu++)
                {
                    TLanes phiMu = weight * TLanes.Load(ref history, (nuint)(((own + mu) * _slots) + slot));
                    TLanes gradMu = weight * TLanes.Load(ref history, (nuint)(((own + n + mu) * _slots) + slot));
                    for (int nu = 0; nu < n; nu++)
                    {
                        twoTime[target + (mu * n) + nu] = TLanes.FusedMultiplyAdd(phiMu, TLanes.Load(ref history, (nuint)(((earlier + nu) * _slots) + slot)), twoTime[target + (mu * n) + nu]);
                        twoTime[target + pairs + (mu * n) + nu] = TLanes.FusedMultiplyAdd(gradMu, TLanes.Load(ref history, (nuint)(((earlier + n + nu) * _slots) + slot)), twoTime[target + pairs + (mu * n) + nu]);
                    }
                }
            }
        }
    }
}
