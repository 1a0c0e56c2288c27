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

/// <summary>Shape of the pooled readout for the device kernels: E members, B images, N channels, S_L^2 positions, C outputs.</summary>
internal struct ReadoutGeometry
{
    public int Members;
    public int Batch;
    public int Width;
    public int Positions;
    public int Outputs;
}

/// <summary>
/// One block of the probe Jacobian (E x (Q C) x parameters, member-major) for the device kernels: the rows of output
/// <see cref="Output"/>, the columns from <see cref="Start"/> of a C_{l+1} x C_l k^2 weight (or the C x N readout).
/// </summary>
internal struct ProbeGeometry
{
    public long Members;
    public int Probe;
    public int Outputs;
    public int Output;
    public int Channels;
    public int FanIn;
    public int Positions;
    public long Parameters;
    public long Start;
    public double Scale;
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
    /// Pooling and readout per (member, image): pooled[m, b, i] = mean over positions of top[m, i, b, :],
    /// f[m, b, c] = sum_i w[m, c, i] pooled[m, b, i] / (gamma0 N), summed over i in order.
    /// </summary>
    public static void PoolReadout(Index1D thread, int threads, ArrayView<double> top, ArrayView<double> readout, ArrayView<double> pooled, ArrayView<double> f, ReadoutGeometry g, double gamma0)
    {
        for (long e = thread; e < (long)g.Members * g.Batch; e += threads)
        {
            long member = e / g.Batch;
            long b = e % g.Batch;
            for (int i = 0; i < g.Width; i++)
            {
                long start = (member * g.Width * g.Batch * g.Positions) + ((((long)i * g.Batch) + b) * g.Positions);
                double total = 0.0;
                for (int p = 0; p < g.Positions; p++)
                {
                    total += top[start + p];
                }

                pooled[(e * g.Width) + i] = total / g.Positions;
            }

            for (int c = 0; c < g.Outputs; c++)
            {
                long weights = ((member * g.Outputs) + c) * g.Width;
                double sum = 0.0;
                for (int i = 0; i < g.Width; i++)
                {
                    sum += readout[weights + i] * pooled[(e * g.Width) + i];
                }

                f[(e * g.Outputs) + c] = sum / (gamma0 * g.Width);
            }
        }
    }

    /// <summary>delta[m, b, c] = weight (y[b, c] - f[m, b, c]); <paramref name="perMember"/> = B C.</summary>
    public static void ErrorSignal(Index1D thread, int threads, ArrayView<double> f, ArrayView<double> y, ArrayView<double> delta, int perMember, double weight)
    {
        for (long e = thread; e < delta.Length; e += threads)
        {
            delta[e] = weight * (y[e % perMember] - f[e]);
        }
    }

    /// <summary>delta[m, b, c] = 1 for c = <paramref name="output"/>, else 0: the unit error signal whose backward fields are df_c/dh.</summary>
    public static void UnitSignal(Index1D thread, int threads, ArrayView<double> delta, int outputs, int output)
    {
        for (long e = thread; e < delta.Length; e += threads)
        {
            delta[e] = e % outputs == output ? 1.0 : 0.0;
        }
    }

    /// <summary>e^L[m, i, b, p] = phi'(h^L) (sum_c delta[m, b, c] w[m, c, i]) / (gamma0 N S_L^2), the sum over c in order.</summary>
    public static void TopField<TActivation>(Index1D thread, int threads, ArrayView<double> pre, ArrayView<double> delta, ArrayView<double> readout, ArrayView<double> field, ReadoutGeometry g, double scale)
        where TActivation : struct, IActivation
    {
        long perMember = (long)g.Width * g.Batch * g.Positions;
        for (long e = thread; e < field.Length; e += threads)
        {
            long member = e / perMember;
            long ib = e % perMember / g.Positions;
            long i = ib / g.Batch;
            long b = ib % g.Batch;
            double signal = 0.0;
            for (int c = 0; c < g.Outputs; c++)
            {
                signal += delta[(((member * g.Batch) + b) * g.Outputs) + c] * readout[(((member * g.Outputs) + c) * g.Width) + i];
            }

            field[e] = default(TActivation).Derivative(pre[e]) * (signal * scale);
        }
    }

    /// <summary>w[m, c, i] += step sum_b delta[m, b, c] pooled[m, b, i], summed over b in order.</summary>
    public static void ReadoutUpdate(Index1D thread, int threads, ArrayView<double> delta, ArrayView<double> pooled, ArrayView<double> readout, ReadoutGeometry g, double step)
    {
        long perMember = (long)g.Outputs * g.Width;
        for (long e = thread; e < readout.Length; e += threads)
        {
            long member = e / perMember;
            long c = e % perMember / g.Width;
            long i = e % g.Width;
            double sum = 0.0;
            for (int b = 0; b < g.Batch; b++)
            {
                long image = (member * g.Batch) + b;
                sum += delta[(image * g.Outputs) + c] * pooled[(image * g.Width) + i];
            }

            readout[e] += step * sum;
        }
    }

    /// <summary>
    /// The W^l block of the probe Jacobian rows of output <see cref="ProbeGeometry.Output"/>:
    /// J[m, q C + c, start + o C_l k^2 + j] = scale sum_p e^{l+1}[m, o, q, p] columns[m, j, q, p], the sum over the
    /// positions p of image q in order (the per-image product e^{l+1}_q *' phi(h^l_q) of <see cref="CnnProbeNtk{TActivation}"/>).
    /// </summary>
    public static void ProbeWeightGradient(Index1D thread, int threads, ArrayView<double> field, ArrayView<double> columns, ArrayView<double> jacobian, ProbeGeometry g)
    {
        long block = (long)g.Channels * g.FanIn;
        long width = (long)g.Probe * g.Positions;
        for (long e = thread; e < g.Members * g.Probe * block; e += threads)
        {
            long member = e / (g.Probe * block);
            long q = e / block % g.Probe;
            long o = e % block / g.FanIn;
            long j = e % g.FanIn;
            long fieldRow = (member * g.Channels * width) + (o * width) + (q * g.Positions);
            long columnRow = (member * g.FanIn * width) + (j * width) + (q * g.Positions);
            double sum = 0.0;
            for (int p = 0; p < g.Positions; p++)
            {
                sum += field[fieldRow + p] * columns[columnRow + p];
            }

            long row = (member * g.Probe * g.Outputs) + (q * g.Outputs) + g.Output;
            jacobian[(row * g.Parameters) + g.Start + (o * g.FanIn) + j] = g.Scale * sum;
        }
    }

    /// <summary>
    /// The readout block of the probe Jacobian rows of output <see cref="ProbeGeometry.Output"/> (c):
    /// J[m, q C + c, start + c' N + i] = pooled[m, q, i] / (gamma0 N) for c' = c and 0 otherwise
    /// (<see cref="ProbeGeometry.Scale"/> = 1 / (gamma0 N), <see cref="ProbeGeometry.FanIn"/> = N).
    /// </summary>
    public static void ProbeReadoutGradient(Index1D thread, int threads, ArrayView<double> pooled, ArrayView<double> jacobian, ProbeGeometry g)
    {
        long block = (long)g.Outputs * g.FanIn;
        for (long e = thread; e < g.Members * g.Probe * block; e += threads)
        {
            long member = e / (g.Probe * block);
            long q = e / block % g.Probe;
            long c = e % block / g.FanIn;
            long i = e % g.FanIn;
            long image = (member * g.Probe) + q;
            long row = (image * g.Outputs) + g.Output;
            jacobian[(row * g.Parameters) + g.Start + (c * g.FanIn) + i] = c == g.Output ? pooled[(image * g.FanIn) + i] * g.Scale : 0.0;
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
