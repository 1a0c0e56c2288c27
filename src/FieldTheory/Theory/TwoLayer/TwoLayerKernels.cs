using ILGPU;

namespace FieldTheory.Theory.TwoLayer;

/// <summary>Sizes and scalars of one launch of <see cref="TwoLayerKernels.Step{TActivation}"/>.</summary>
/// <param name="Threads">Launched threads; each walks the chunks with a grid stride.</param>
/// <param name="Chunks">C, the number of fixed site ranges whose partial sums are reduced in order on the host.</param>
/// <param name="Points">Q = P + P_test, the inputs h is tracked on.</param>
/// <param name="Train">P.</param>
/// <param name="Stride">Partial sums per chunk: Q + 2 P^2.</param>
/// <param name="StepScale">eta gamma0.</param>
/// <param name="Update">1 to apply the update with the previous step's Delta before observing, 0 at step 0.</param>
/// <param name="Step">n, the step being observed.</param>
/// <param name="HistoryLength">T + 1 when two-time kernels are recorded, else 0.</param>
internal readonly record struct StepParameters(
    int Threads,
    int Chunks,
    int Points,
    int Train,
    int Stride,
    double StepScale,
    int Update,
    int Step,
    int HistoryLength);

/// <summary>Settings of <see cref="TwoLayerKernels.ReduceGroups"/> for one step.</summary>
/// <param name="Groups">Groups of the site rule.</param>
/// <param name="Train">Training points P.</param>
/// <param name="Stride">Partial sums per chunk.</param>
/// <param name="Gamma0">Feature-learning strength (f = sum / gamma0).</param>
/// <param name="Centered">1 when f is measured from its initial value.</param>
/// <param name="Step">The step whose sums are reduced.</param>
internal readonly record struct ReduceParameters(int Groups, int Train, int Stride, double Gamma0, int Centered, int Step);

/// <summary>Settings of <see cref="TwoLayerKernels.SumBlocks"/>.</summary>
/// <param name="Blocks">64-site blocks (TwoLayerMemory.ChunkSize) of the rule.</param>
/// <param name="Stride">Partial sums per site and per block.</param>
internal readonly record struct BlockParameters(int Blocks, int Stride);

/// <summary>
/// The site kernel of the two-layer forward integration (DESIGN.md 3.1), generic over the model's activation.
/// </summary>
internal static class TwoLayerKernels
{
    /// <summary>
    /// One time step for every site: (if <c>Update</c>) advance (h, w) from step n-1 to n with the previous Delta,
    ///     h_mu += eta gamma0 w sum_a K^x_{mu a} Delta_a phi'(h_a),   w += eta gamma0 sum_a Delta_a phi(h_a)
    /// (both with the old h and w), then evaluate phi, phi' at step n and add each site's weighted contributions to
    /// its chunk's partial sums: w phi(h_mu) for every point, phi(h_mu) phi(h_nu) and w^2 phi'(h_mu) phi'(h_nu) for
    /// training pairs; with a history, also phi(h_mu(n)) phi(h_nu(m)) and w(n)phi'(h_mu(n)) w(m)phi'(h_nu(m)), m &lt;= n.
    /// Sites of a chunk are visited in index order and each chunk is owned by one thread, so the sums do not depend on
    /// the number of threads.
    /// </summary>
    /// <param name="thread">Thread index.</param>
    /// <param name="p">Sizes and scalars.</param>
    /// <param name="h">Pre-activations, [site][Q].</param>
    /// <param name="w">Readout weights, [site].</param>
    /// <param name="weight">Integration weights, [site].</param>
    /// <param name="features">phi(h_a), phi'(h_a) at the last observed step, [site][2P].</param>
    /// <param name="inputGram">K^x_{mu a}, [Q][P].</param>
    /// <param name="delta">Delta_a(n-1) of each group, [group][P].</param>
    /// <param name="chunks">Chunk starts (C + 1 entries) then each chunk's group (C entries).</param>
    /// <param name="partial">Partial sums, [chunk][Stride].</param>
    /// <param name="history">phi(h_a(m)) and w(m) phi'(h_a(m)), [site][m][2P], when recorded.</param>
    /// <param name="twoTime">Two-time partial sums, [chunk][m][2][P][P], when recorded.</param>
    public static void Step<TActivation>(
        Index1D thread,
        StepParameters p,
        ArrayView<double> h,
        ArrayView<double> w,
        ArrayView<double> weight,
        ArrayView<double> features,
        ArrayView<double> inputGram,
        ArrayView<double> delta,
        ArrayView<int> chunks,
        ArrayView<double> partial,
        ArrayView<double> history,
        ArrayView<double> twoTime)
        where TActivation : struct, IActivation
    {
        TActivation activation = default;
        int q = p.Points;
        int n = p.Train;
        int pairs = n * n;
        for (int c = thread; c < p.Chunks; c += p.Threads)
        {
            int group = chunks[p.Chunks + 1 + c];
            long sums = (long)c * p.Stride;
            for (int k = 0; k < p.Stride; k++)
            {
                partial[sums + k] = 0.0;
            }

            long twoTimeSums = (long)c * p.HistoryLength * 2 * pairs;
            for (long k = 0; k < (long)(p.Step + 1) * 2 * pairs && p.HistoryLength > 0; k++)
            {
                twoTime[twoTimeSums + k] = 0.0;
            }

            for (int i = chunks[c]; i < chunks[c + 1]; i++)
            {
                long site = (long)i * q;
                long feature = (long)i * 2 * n;
                double wi = w[i];
                if (p.Update != 0)
                {
                    double dw = 0.0;
                    for (int a = 0; a < n; a++)
                    {
                        dw += delta[(group * n) + a] * features[feature + a];
                    }

                    for (int mu = 0; mu < q; mu++)
                    {
                        double field = 0.0;
                        for (int a = 0; a < n; a++)
                        {
                            field += inputGram[(mu * n) + a] * delta[(group * n) + a] * features[feature + n + a];
                        }

                        h[site + mu] += p.StepScale * wi * field;
                    }

                    wi += p.StepScale * dw;
                    w[i] = wi;
                }

                double qi = weight[i];
                for (int mu = 0; mu < q; mu++)
                {
                    ActivationJet jet = activation.Jet(h[site + mu]);
                    if (mu < n)
                    {
                        features[feature + mu] = jet.Value;
                        features[feature + n + mu] = jet.D1;
                    }

                    partial[sums + mu] += qi * wi * jet.Value;
                }

                double w2 = wi * wi;
                for (int mu = 0; mu < n; mu++)
                {
                    double phiMu = qi * features[feature + mu];
                    double gradMu = qi * w2 * features[feature + n + mu];
                    for (int nu = 0; nu < n; nu++)
                    {
                        partial[sums + q + (mu * n) + nu] += phiMu * features[feature + nu];
                        partial[sums + q + pairs + (mu * n) + nu] += gradMu * features[feature + n + nu];
                    }
                }

                if (p.HistoryLength > 0)
                {
                    RecordHistory(p, i, wi, qi, features, history, twoTime, twoTimeSums);
                }
            }
        }
    }

    /// <summary>
    /// With one thread per site: one thread per (64-site block, sum) adds the block's per-site partial sums in site order,
    /// from 0, into <paramref name="blockSums"/> - exactly what one thread per 64-site chunk accumulates, so the result
    /// does not depend on the layout. <paramref name="blockTable"/> is SiteLayout.ChunkTable's block starts.
    /// </summary>
    public static void SumBlocks(Index1D thread, BlockParameters p, ArrayView<double> partial, ArrayView<int> blockTable, ArrayView<double> blockSums)
    {
        int block = thread / p.Stride;
        int k = thread - (block * p.Stride);
        blockSums[((long)block * p.Stride) + k] = InOrder(partial, blockTable[block], blockTable[block + 1], p.Stride, k);
    }

    /// <summary>
    /// After <see cref="Step"/>: one thread per (group, sum) adds the group's chunk partial sums in chunk order, from 0
    /// (the order of SiteLayout.ReduceInOrder, so the sums equal the host's to the last bit), into row <c>Step</c> of
    /// <paramref name="sums"/> ([step][group][stride]); the threads of the training outputs then set the group's
    /// Delta_a = y_a - f_a for the next step, f from the sum exactly as GroupRecord.Observe computes it. Delta thus stays
    /// on the device: no host round trip per step.
    /// </summary>
    public static void ReduceGroups(
        Index1D thread,
        ReduceParameters p,
        ArrayView<double> partial,
        ArrayView<int> groupChunks,
        ArrayView<double> targets,
        ArrayView<double> initialF,
        ArrayView<double> delta,
        ArrayView<double> sums)
    {
        int group = thread / p.Stride;
        int k = thread - (group * p.Stride);
        double total = InOrder(partial, groupChunks[group], groupChunks[group + 1], p.Stride, k);
        sums[((((long)p.Step * p.Groups) + group) * p.Stride) + k] = total;
        if (k < p.Train)
        {
            double f = total / p.Gamma0;
            int a = (group * p.Train) + k;
            if (p.Step == 0)
            {
                initialF[a] = f;
            }

            delta[a] = targets[k] - (p.Centered != 0 ? f - initialF[a] : f);
        }
    }

    // Sum of values[c * stride + k] for c = start..end-1, added in that order from 0. Eight loads are issued before
    // their additions (same order): a GPU thread otherwise waits out one memory latency per term.
    private static double InOrder(ArrayView<double> values, int start, int end, int stride, int k)
    {
        double total = 0.0;
        int c = start;
        for (; c + 8 <= end; c += 8)
        {
            long i = ((long)c * stride) + k;
            double v0 = values[i], v1 = values[i + stride], v2 = values[i + (2 * stride)], v3 = values[i + (3 * stride)];
            double v4 = values[i + (4 * stride)], v5 = values[i + (5 * stride)], v6 = values[i + (6 * stride)], v7 = values[i + (7 * stride)];
            total += v0;
            total += v1;
            total += v2;
            total += v3;
            total += v4;
            total += v5;
            total += v6;
            total += v7;
        }

        for (; c < end; c++)
        {
            total += values[((long)c * stride) + k];
        }

        return total;
    }

    // Stores this step's phi and w phi' and adds their products with every earlier step's to the chunk's sums.
    private static void RecordHistory(
        StepParameters p, int i, double wi, double qi, ArrayView<double> features, ArrayView<double> history, ArrayView<double> twoTime, long twoTimeSums)
    {
        int n = p.Train;
        int pairs = n * n;
        long feature = (long)i * 2 * n;
        long own = (((long)i * p.HistoryLength) + p.Step) * 2 * n;
        for (int a = 0; a < n; a++)
        {
            history[own + a] = features[feature + a];
            history[own + n + a] = wi * features[feature + n + a];
        }

        for (int m = 0; m <= p.Step; m++)
        {
            long earlier = (((long)i * p.HistoryLength) + m) * 2 * n;
            long target = twoTimeSums + ((long)m * 2 * pairs);
            for (int mu = 0; mu < n; mu++)
            {
                double phiMu = qi * history[own + mu];
                double gradMu = qi * history[own + n + mu];
                for (int nu = 0; nu < n; nu++)
                {
                    twoTime[target + (mu * n) + nu] += phiMu * history[earlier + nu];
                    twoTime[target + pairs + (mu * n) + nu] += gradMu * history[earlier + n + nu];
                }
            }
        }
    }
}
