using ILGPU;

namespace FieldTheory.Convolutions;

/// <summary>Geometry of one convolution for the device kernels (an unmanaged struct, passed by value).</summary>
internal struct ConvolutionGeometry
{
    public int Members;
    public int Channels;
    public int Batch;
    public int Size;
    public int Kernel;
    public int Stride;
    public int Padding;
    public int OutSize;

    /// <summary>Distance between members' input maps (0 when all members read the same input, as layer 0 does).</summary>
    public long InputMemberStride;

    /// <summary>C k^2 B S_out^2, the unfolded matrix of one member.</summary>
    public readonly long ColumnsPerMember => (long)Channels * Kernel * Kernel * Batch * OutSize * OutSize;

    /// <summary>C B S^2, the input map of one member.</summary>
    public readonly long MapPerMember => (long)Channels * Batch * Size * Size;
}

/// <summary>
/// ILGPU kernels of the device CNN ensemble (<see cref="CnnDeviceEnsemble{TActivation}"/>), the same arithmetic as
/// <see cref="CnnPass{TActivation}"/> and <see cref="Im2Col"/> for all members at once. Grid-stride loops; every output
/// element is written by exactly one thread with a fixed summation order (the fold gathers instead of scattering), so
/// results do not depend on the launch size. Member-major arrays: member m's block follows member m - 1's.
/// </summary>
internal static class CnnKernels
{
    /// <summary>im2col for every member: <paramref name="columns"/> (E x C k^2 x B S_out^2) from <paramref name="map"/>.</summary>
    public static void Unfold(Index1D thread, int threads, ArrayView<double> map, ArrayView<double> columns, ConvolutionGeometry g)
    {
        long outPositions = (long)g.OutSize * g.OutSize;
        long width = g.Batch * outPositions;
        long perMember = g.ColumnsPerMember;
        for (long e = thread; e < perMember * g.Members; e += threads)
        {
            long member = e / perMember;
            long local = e % perMember;
            long row = local / width;
            long column = local % width;
            int kx = (int)(row % g.Kernel);
            int ky = (int)(row / g.Kernel % g.Kernel);
            int c = (int)(row / ((long)g.Kernel * g.Kernel));
            int b = (int)(column / outPositions);
            int position = (int)(column % outPositions);
            int y = (position / g.OutSize * g.Stride) - g.Padding + ky;
            int x = (position % g.OutSize * g.Stride) - g.Padding + kx;
            columns[e] = y >= 0 && y < g.Size && x >= 0 && x < g.Size
                ? map[(member * g.InputMemberStride) + ((((long)c * g.Batch) + b) * g.Size * g.Size) + ((long)y * g.Size) + x]
                : 0.0;
        }
    }

    /// <summary>
    /// The adjoint of <see cref="Unfold"/> times phi'(h): <paramref name="map"/>[m, c, b, y, x] = phi'(pre) sum over the
    /// kernel offsets (ky, kx) that read (y, x) of <paramref name="columns"/>, gathered in the order ky, kx.
    /// </summary>
    public static void FoldTimesDerivative<TActivation>(Index1D thread, int threads, ArrayView<double> columns, ArrayView<double> pre, ArrayView<double> map, ConvolutionGeometry g)
        where TActivation : struct, IActivation
    {
        long outPositions = (long)g.OutSize * g.OutSize;
        long width = g.Batch * outPositions;
        long perMember = g.MapPerMember;
        for (long e = thread; e < perMember * g.Members; e += threads)
        {
            long member = e / perMember;
            long local = e % perMember;
            int x = (int)(local % g.Size);
            int y = (int)(local / g.Size % g.Size);
            long cb = local / ((long)g.Size * g.Size);
            int b = (int)(cb % g.Batch);
            int c = (int)(cb / g.Batch);
            double sum = 0.0;
            for (int ky = 0; ky < g.Kernel; ky++)
            {
                int ty = y + g.Padding - ky;
                if (ty < 0 || ty % g.Stride != 0 || ty / g.Stride >= g.OutSize)
                {
                    continue;
                }

                for (int kx = 0; kx < g.Kernel; kx++)
                {
                    int tx = x + g.Padding - kx;
                    if (tx < 0 || tx % g.Stride != 0 || tx / g.Stride >= g.OutSize)
                    {
                        continue;
                    }

                    long row = (((long)c * g.Kernel) + ky) * g.Kernel + kx;
                    long column = (b * outPositions) + ((long)(ty / g.Stride) * g.OutSize) + (tx / g.Stride);
                    sum += columns[(member * g.ColumnsPerMember) + (row * width) + column];
                }
            }

            map[e] = sum * default(TActivation).Derivative(pre[e]);
        }
    }

    /// <summary>phi(h) for every entry.</summary>
    public static void Activate<TActivation>(Index1D thread, int threads, ArrayView<double> pre, ArrayView<double> post)
        where TActivation : struct, IActivation
    {
        for (long e = thread; e < pre.Length; e += threads)
        {
            post[e] = default(TActivation).Value(pre[e]);
        }
    }

    /// <summary>
    /// Pooling and readout per (member, image): pooled[m, b, c] = mean over positions of top[m, c, b, :],
    /// f[m, b] = sum_c w[m, c] pooled[m, b, c] / (gamma0 N).
    /// </summary>
    public static void PoolReadout(Index1D thread, int threads, ArrayView<double> top, ArrayView<double> readout, ArrayView<double> pooled, ArrayView<double> f, int members, int batch, int width, int positions, double gamma0)
    {
        for (long e = thread; e < (long)members * batch; e += threads)
        {
            long member = e / batch;
            long b = e % batch;
            double sum = 0.0;
            for (int c = 0; c < width; c++)
            {
                long start = (member * width * batch * positions) + ((((long)c * batch) + b) * positions);
                double total = 0.0;
                for (int p = 0; p < positions; p++)
                {
                    total += top[start + p];
                }

                double average = total / positions;
                pooled[(e * width) + c] = average;
                sum += readout[(member * width) + c] * average;
            }

            f[e] = sum / (gamma0 * width);
        }
    }

    /// <summary>delta[m, b] = weight (y[b] - f[m, b]).</summary>
    public static void ErrorSignal(Index1D thread, int threads, ArrayView<double> f, ArrayView<double> y, ArrayView<double> delta, int batch, double weight)
    {
        for (long e = thread; e < delta.Length; e += threads)
        {
            delta[e] = weight * (y[e % batch] - f[e]);
        }
    }

    /// <summary>e^L[m, c, b, p] = phi'(h^L) delta[m, b] w[m, c] / (gamma0 N S_L^2).</summary>
    public static void TopField<TActivation>(Index1D thread, int threads, ArrayView<double> pre, ArrayView<double> delta, ArrayView<double> readout, ArrayView<double> field, int batch, int width, int positions, double scale)
        where TActivation : struct, IActivation
    {
        long perMember = (long)width * batch * positions;
        for (long e = thread; e < field.Length; e += threads)
        {
            long member = e / perMember;
            long cb = e % perMember / positions;
            long c = cb / batch;
            long b = cb % batch;
            field[e] = default(TActivation).Derivative(pre[e]) * delta[(member * batch) + b] * readout[(member * width) + c] * scale;
        }
    }

    /// <summary>w[m, c] += step sum_b delta[m, b] pooled[m, b, c], summed over b in order.</summary>
    public static void ReadoutUpdate(Index1D thread, int threads, ArrayView<double> delta, ArrayView<double> pooled, ArrayView<double> readout, int batch, int width, double step)
    {
        for (long e = thread; e < readout.Length; e += threads)
        {
            long member = e / width;
            long c = e % width;
            double sum = 0.0;
            for (int b = 0; b < batch; b++)
            {
                sum += delta[(member * batch) + b] * pooled[(((member * batch) + b) * width) + c];
            }

            readout[e] += step * sum;
        }
    }

    /// <summary>y += a x.</summary>
    public static void Axpy(Index1D thread, int threads, ArrayView<double> x, ArrayView<double> y, double a)
    {
        for (long e = thread; e < y.Length; e += threads)
        {
            y[e] += a * x[e];
        }
    }
}
