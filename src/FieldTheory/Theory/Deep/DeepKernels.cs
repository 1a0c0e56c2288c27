using FieldTheory.Randomness;
using ILGPU;

namespace FieldTheory.Theory.Deep;

/// <summary>
/// ILGPU kernels of the deep single-site process (DESIGN.md 3.2): the forward and backward updates of one layer at one
/// step, of the fields (one work item per sample) and of the pathwise tangents (one work item per sample and source
/// direction: the directions are independent, and they are where the work is), and the chunk sums that estimate kernel
/// and response rows. The forward field update is generic over the model's activation, as
/// <see cref="TwoLayer.TwoLayerKernels"/> is. Each sum entry
/// adds its chunk's samples in index order, so the sums equal <see cref="ChunkedSum"/>'s whatever the thread count.
/// Memory rows and source factor rows are row-major [mu][End] (Start columns for the forward memory). Dot products
/// follow <see cref="Deep.Dot"/>'s fixed order, so the kernels reproduce the host backend bit for bit.
/// </summary>
internal static class DeepKernels
{
    /// <summary>
    /// Forward field update of every sample (grid stride): u^l(n) (u^1 sampled from K^x at step 0; else the step's
    /// source factor row times the path's normals), h = u + c sum_{m&lt;n} Kh g, phi, phi', phi''.
    /// </summary>
    public static void Forward<TActivation>(
        Index1D thread,
        MarchParameters p,
        SampleViews v,
        ArrayView<double> memory,
        ArrayView<double> source,
        ArrayView<double> input)
        where TActivation : struct, IActivation
    {
        TActivation activation = default;
        var random = new RandomStream(p.Seed);
        int start = p.Start;
        for (int s = thread; s < p.Count; s += p.Threads)
        {
            long row = (long)s * p.Size;
            long site = (long)s * p.Points;
            ulong stream = StreamId.Of(s, p.Layer, SiteSamples.PurposeU);
            if (p.Layer == 1 && p.Step == 0)
            {
                // u^1 = W^0 x / sqrt(D) is constant in time: sample it once from K^x (the normals wait in h, written below).
                for (int nu = 0; nu < p.Points; nu++)
                {
                    v.H[site + nu] = random.Normal(stream, (ulong)nu);
                }

                for (int mu = 0; mu < p.Points; mu++)
                {
                    v.NoiseU[row + mu] = Dot(input, (long)mu * p.Points, v.H, site, mu + 1);
                }
            }

            for (int mu = 0; mu < p.Points; mu++)
            {
                int i = start + mu;
                double field;
                if (p.Layer == 1)
                {
                    field = v.NoiseU[row + mu];
                }
                else
                {
                    v.NoiseU[row + i] = random.Normal(stream, (ulong)i);
                    field = Dot(source, (long)mu * p.End, v.NoiseU, row, i + 1);
                }

                double h = field + (p.StepScale * Dot(memory, (long)mu * start, v.Gradient, row, start));
                ActivationJet jet = activation.Jet(h);
                v.Phi[row + i] = jet.Value;
                v.H[site + mu] = h;
                v.D1[site + mu] = jet.D1;
                v.D2[site + mu] = jet.D2;
            }
        }
    }

    /// <summary>
    /// Forward tangent update of every (sample, direction d &lt; (n + 1) P) pair (grid stride), after <see cref="Forward{TActivation}"/>:
    /// dh = [u source] + c sum_{m&lt;n} Kh dg, d phi = phi'(h) dh, for the r- and u-families the layer has.
    /// </summary>
    public static void ForwardTangents(Index1D thread, MarchParameters p, SampleViews v, TangentViews r, TangentViews u, ArrayView<double> memory)
    {
        int active = (p.Step + 1) * p.Train;
        for (long item = thread; item < (long)p.Count * active; item += p.Threads)
        {
            int s = (int)(item / active);
            int d = (int)(item % active);
            if (r.Present != 0)
            {
                ForwardTangent(p, s, d, v, r, memory, sourceIsU: false);
            }

            if (u.Present != 0)
            {
                ForwardTangent(p, s, d, v, u, memory, sourceIsU: true);
            }
        }
    }

    /// <summary>
    /// Backward field update of every sample (grid stride): r^l(n) (r^L = w^L(0) sampled at step 0),
    /// z = r + c sum_{m&lt;=n} Kz phi, g = phi'(h) z.
    /// </summary>
    public static void Backward(Index1D thread, MarchParameters p, SampleViews v, ArrayView<double> memory, ArrayView<double> source)
    {
        var random = new RandomStream(p.Seed);
        int start = p.Start;
        int end = p.End;
        bool last = p.Layer == p.Layers;
        for (int s = thread; s < p.Count; s += p.Threads)
        {
            long row = (long)s * p.Size;
            long site = (long)s * p.Points;
            ulong stream = StreamId.Of(s, p.Layer, SiteSamples.PurposeR);
            if (last && p.Step == 0)
            {
                // r^L = w^L(0) ~ N(0, 1) is constant in time.
                v.NoiseR[row] = random.Normal(stream, 0);
            }

            for (int mu = 0; mu < p.Points; mu++)
            {
                int i = start + mu;
                double field;
                if (last)
                {
                    field = v.NoiseR[row];
                }
                else
                {
                    v.NoiseR[row + i] = random.Normal(stream, (ulong)i);
                    field = Dot(source, (long)mu * end, v.NoiseR, row, i + 1);
                }

                double z = field + (p.StepScale * Dot(memory, (long)mu * end, v.Phi, row, end));
                v.Z[site + mu] = z;
                v.Gradient[row + i] = v.D1[site + mu] * z;
            }
        }
    }

    /// <summary>
    /// Backward tangent update of every (sample, direction d &lt; (n + 1) P) pair (grid stride), after <see cref="Backward"/>:
    /// dz = [r source] + c sum_{m&lt;=n} Kz d phi, dg = phi''(h) dh z + phi'(h) dz.
    /// </summary>
    public static void BackwardTangents(Index1D thread, MarchParameters p, SampleViews v, TangentViews r, TangentViews u, ArrayView<double> memory)
    {
        int active = (p.Step + 1) * p.Train;
        for (long item = thread; item < (long)p.Count * active; item += p.Threads)
        {
            int s = (int)(item / active);
            int d = (int)(item % active);
            if (r.Present != 0)
            {
                BackwardTangent(p, s, d, v, r, memory, sourceIsR: true);
            }

            if (u.Present != 0)
            {
                BackwardTangent(p, s, d, v, u, memory, sourceIsR: false);
            }
        }
    }

    /// <summary>Kernel rows: entry (chunk, mu, j &lt; Columns) = sum over the chunk's samples of x(Start + mu) x(j).</summary>
    public static void OuterRowSums(Index1D thread, SumParameters q, ArrayView<double> x, ArrayView<double> partial)
    {
        long perChunk = (long)q.Points * q.Columns;
        (long first, long last) = Range(thread, q.Threads, q.Chunks * perChunk);
        for (long e = first; e < last; e++)
        {
            int chunk = (int)(e / perChunk);
            int mu = (int)(e % perChunk / q.Columns);
            int j = (int)(e % q.Columns);
            int sampleEnd = Math.Min(q.Count, (chunk + 1) * q.ChunkSize);
            double sum = 0.0;
            for (int s = chunk * q.ChunkSize; s < sampleEnd; s++)
            {
                long row = (long)s * q.Size;
                sum += x[row + q.Start + mu] * x[row + j];
            }

            partial[e] = sum;
        }
    }

    /// <summary>Response rows: entry (chunk, mu, d &lt; Columns) = sum over the chunk's samples of tangent_d(Start + mu).</summary>
    public static void TangentRowSums(Index1D thread, SumParameters q, ArrayView<double> tangent, ArrayView<long> offsets, ArrayView<double> partial)
    {
        long perChunk = (long)q.Points * q.Columns;
        (long first, long last) = Range(thread, q.Threads, q.Chunks * perChunk);
        for (long e = first; e < last; e++)
        {
            int chunk = (int)(e / perChunk);
            int mu = (int)(e % perChunk / q.Columns);
            int d = (int)(e % q.Columns);
            long index = offsets[d] + q.Start + mu;
            int sampleEnd = Math.Min(q.Count, (chunk + 1) * q.ChunkSize);
            double sum = 0.0;
            for (int s = chunk * q.ChunkSize; s < sampleEnd; s++)
            {
                sum += tangent[((long)s * q.Packed) + index];
            }

            partial[e] = sum;
        }
    }

    /// <summary>The correlator of f: entry (chunk, mu) = sum over the chunk's samples of z^L(mu) phi(h^L(Start + mu)).</summary>
    public static void CorrelatorSums(Index1D thread, SumParameters q, ArrayView<double> z, ArrayView<double> phi, ArrayView<double> partial)
    {
        (long first, long last) = Range(thread, q.Threads, (long)q.Chunks * q.Points);
        for (long e = first; e < last; e++)
        {
            int chunk = (int)(e / q.Points);
            int mu = (int)(e % q.Points);
            int sampleEnd = Math.Min(q.Count, (chunk + 1) * q.ChunkSize);
            double sum = 0.0;
            for (int s = chunk * q.ChunkSize; s < sampleEnd; s++)
            {
                sum += z[((long)s * q.Points) + mu] * phi[((long)s * q.Size) + q.Start + mu];
            }

            partial[e] = sum;
        }
    }

    // Direction d of sample s: dh(n) = [u source] + c sum_{m<n} Kh(n, m) dg(m);  d phi(n) = phi'(h(n)) dh(n).
    private static void ForwardTangent(MarchParameters p, int s, int d, SampleViews v, TangentViews t, ArrayView<double> memory, bool sourceIsU)
    {
        int start = p.Start;
        long offset = ((long)s * p.Packed) + t.Offsets[d];
        long dhRow = (((long)s * p.Directions) + d) * p.Points;
        long site = (long)s * p.Points;
        int first = t.First[d];
        for (int mu = 0; mu < p.Points; mu++)
        {
            double dh = sourceIsU && d == (p.Step * p.Train) + mu ? 1.0 : 0.0;
            dh += p.StepScale * Dot(memory, ((long)mu * start) + first, t.DGradient, offset + first, start - first);
            t.DH[dhRow + mu] = dh;
            t.DPhi[offset + start + mu] = v.D1[site + mu] * dh;
        }
    }

    // Direction d of sample s: dz(n) = [r source] + c sum_{m<=n} Kz(n, m) d phi(m);  dg(n) = phi''(h) dh z + phi'(h) dz.
    private static void BackwardTangent(MarchParameters p, int s, int d, SampleViews v, TangentViews t, ArrayView<double> memory, bool sourceIsR)
    {
        int start = p.Start;
        int end = p.End;
        long offset = ((long)s * p.Packed) + t.Offsets[d];
        long dhRow = (((long)s * p.Directions) + d) * p.Points;
        long site = (long)s * p.Points;
        int first = t.First[d];
        for (int mu = 0; mu < p.Points; mu++)
        {
            double dz = sourceIsR && d == (p.Step * p.Train) + mu ? 1.0 : 0.0;
            dz += p.StepScale * Dot(memory, ((long)mu * end) + first, t.DPhi, offset + first, end - first);
            t.DGradient[offset + start + mu] = (v.D2[site + mu] * t.DH[dhRow + mu] * v.Z[site + mu]) + (v.D1[site + mu] * dz);
        }
    }

    // x[xStart..] . y[yStart..] over length entries in the order of Dot.Of: four lane sums, (s0 + s1) + (s2 + s3), then the tail.
    private static double Dot(ArrayView<double> x, long xStart, ArrayView<double> y, long yStart, int length)
    {
        int blocks = length / 4 * 4;
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        ArrayView<double> xs = x.SubView(xStart, length);
        ArrayView<double> ys = y.SubView(yStart, length);
        for (int k = 0; k < blocks; k += 4)
        {
            s0 += xs[k] * ys[k];
            s1 += xs[k + 1] * ys[k + 1];
            s2 += xs[k + 2] * ys[k + 2];
            s3 += xs[k + 3] * ys[k + 3];
        }

        double sum = (s0 + s1) + (s2 + s3);
        for (int k = blocks; k < length; k++)
        {
            sum += xs[k] * ys[k];
        }

        return sum;
    }

    // Thread t of n owns entries [t E / n, (t + 1) E / n): contiguous on the CPU accelerator, one entry per thread on a GPU.
    private static (long First, long Last) Range(int thread, int threads, long entries) =>
        (entries * thread / threads, entries * (thread + 1) / threads);
}
