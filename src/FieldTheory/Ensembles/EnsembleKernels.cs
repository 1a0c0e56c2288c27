using FieldTheory.Randomness;
using ILGPU;

namespace FieldTheory.Ensembles;

/// <summary>
/// The element-wise ILGPU kernels of the ensemble engine, generic over the model's activation struct so that
/// <c>default(TActivation).Value(h)</c> inlines. Every kernel is a grid-stride loop: thread <c>t</c> of
/// <c>threads</c> handles elements t, t + threads, ... (ILGPU's CPU accelerator runs one OS thread per GPU thread,
/// so the CPU launches only a few threads per core; a GPU launches many). Arrays hold all members back to back.
/// </summary>
internal static class EnsembleKernels
{
    /// <summary>
    /// Fills <paramref name="weights"/> (members x perMember) with N(0,1) numbers: entry i of member m is
    /// <c>RandomStream(seed).Normal(StreamId.Of(m, layer, purpose), i)</c>, independent of thread count and device.
    /// </summary>
    public static void InitNormal(Index1D thread, int threads, ArrayView<double> weights, RandomStream random, long perMember, int layer, int purpose)
    {
        for (long e = thread; e < weights.Length; e += threads)
        {
            int member = (int)(e / perMember);
            weights[e] = random.Normal(StreamId.Of(member, layer, purpose), (ulong)(e % perMember));
        }
    }

    /// <summary>phi(h) and phi'(h) for every entry of <paramref name="h"/>.</summary>
    public static void Activate<TActivation>(Index1D thread, int threads, ArrayView<double> h, ArrayView<double> phi, ArrayView<double> dphi)
        where TActivation : struct, IActivation
    {
        for (long e = thread; e < h.Length; e += threads)
        {
            // The jet evaluates phi and phi' with shared subexpressions (one tanh for both, say).
            ActivationJet jet = default(TActivation).Jet(h[e]);
            phi[e] = jet.Value;
            dphi[e] = jet.D1;
        }
    }

    /// <summary>
    /// Last backward field g^L_{mu i} = phi'(h^L_{mu i}) w_i for the first <paramref name="rows"/> rows of each member's
    /// (rowsPerMember x width) block of <paramref name="dphi"/>; <paramref name="readout"/> is members x width. One
    /// thread per row (integer division per row, not per entry).
    /// </summary>
    public static void ReadoutField(Index1D thread, int threads, ArrayView<double> dphi, ArrayView<double> readout, ArrayView<double> g, int rowsPerMember, int rows, int width)
    {
        long totalRows = g.Length / width;
        for (long r = thread; r < totalRows; r += threads)
        {
            long member = r / rows;
            long source = ((member * rowsPerMember) + (r % rows)) * width;
            long weights = member * width;
            long target = r * width;
            for (int i = 0; i < width; i++)
            {
                g[target + i] = dphi[source + i] * readout[weights + i];
            }
        }
    }

    /// <summary>
    /// Backward field g^l = phi'(h^l) * z^l for the first rows of each member's block of <paramref name="dphi"/>
    /// (layout as in <see cref="ReadoutField"/>).
    /// </summary>
    public static void BackwardField(Index1D thread, int threads, ArrayView<double> dphi, ArrayView<double> z, ArrayView<double> g, int rowsPerMember, int rows, int width)
    {
        long totalRows = g.Length / width;
        for (long r = thread; r < totalRows; r += threads)
        {
            long source = (((r / rows) * rowsPerMember) + (r % rows)) * width;
            long target = r * width;
            for (int i = 0; i < width; i++)
            {
                g[target + i] = dphi[source + i] * z[target + i];
            }
        }
    }

    /// <summary>
    /// u_{mu i} = Delta_mu g_{mu i} per member: <paramref name="g"/> is members x (rows x width), <paramref name="delta"/>
    /// members x rows (one entry per row of g).
    /// </summary>
    public static void ScaleRows(Index1D thread, int threads, ArrayView<double> g, ArrayView<double> delta, ArrayView<double> u, int width)
    {
        for (long r = thread; r < delta.Length; r += threads)
        {
            double scale = delta[r];
            long start = r * width;
            for (int i = 0; i < width; i++)
            {
                u[start + i] = g[start + i] * scale;
            }
        }
    }

    /// <summary>
    /// Batched matrix product C_b = alpha A_b B_b + beta C_b with A_b(i, p) = a[s.AOffset + b s.ABatch + i s.ARow + p s.ACol]
    /// and likewise B and C (strides express transposes and broadcasting). One thread per output element (b, i, j), j
    /// fastest, so that neighbouring GPU threads read neighbouring columns of B (a thread per row, the first version, left
    /// an H200 with a few thousand threads each running a whole row: L = 3, N = 512 ensembles took over a second a step).
    /// Exact summation order p = 0..k-1, so results do not depend on the thread count or the device.
    /// </summary>
    public static void Gemm(Index1D thread, int threads, ArrayView<double> a, ArrayView<double> b, ArrayView<double> c, GemmShape s)
    {
        long perBatch = (long)s.M * s.N;
        long total = perBatch * s.Batch;
        for (long e = thread; e < total; e += threads)
        {
            long batch = e / perBatch;
            long within = e - (batch * perBatch);
            long i = within / s.N;
            long j = within - (i * s.N);
            long aBase = s.AOffset + (batch * s.ABatch) + (i * s.ARow);
            long bBase = s.BOffset + (batch * s.BBatch) + (j * s.BCol);
            long cIndex = s.COffset + (batch * s.CBatch) + (i * s.CRow) + j;
            double sum = 0.0;
            for (long p = 0; p < s.K; p++)
            {
                sum += a[aBase + (p * s.ACol)] * b[bBase + (p * s.BRow)];
            }

            c[cIndex] = s.Beta == 0.0 ? s.Alpha * sum : (s.Alpha * sum) + (s.Beta * c[cIndex]);
        }
    }
}
