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
