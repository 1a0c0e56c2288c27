using FieldTheory.Compute;
using ILGPU;
using ILGPU.Runtime;

namespace FieldTheory.Ensembles;

/// <summary>
/// Batched matrix products over ensemble members. On a GPU every product runs the ILGPU kernel
/// <see cref="EnsembleKernels.Gemm"/>. On the CPU accelerator (host memory) products of at least <c>blasThreshold</c>
/// (default <see cref="DefaultBlasThreshold"/>) multiply-adds per member go to OpenBLAS when it is installed, and the
/// rest to a plain C# loop over output rows with <see cref="Parallel.For(int, int, Action{int})"/>: ILGPU's CPU backend
/// has no SIMD and pays for every view access, so both are measured several times faster (docs/ensembles.md).
/// <c>ilgpuOnly</c> keeps every product on the ILGPU kernel (tests run both paths).
/// </summary>
internal sealed class BatchedGemm
{
    /// <summary>Per-member size (M N K) from which OpenBLAS beats the ILGPU kernel on the CPU.</summary>
    public const long DefaultBlasThreshold = 32 * 32 * 32;

    /// <summary>A threshold that keeps every product on ILGPU.</summary>
    public const long NeverBlas = long.MaxValue;

    private readonly ComputeDevice _device;
    private readonly int _threads;
    private readonly bool _useBlas;
    private readonly long _blasThreshold;
    private readonly bool _managed;
    private readonly Action<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, GemmShape> _kernel;

    public BatchedGemm(ComputeDevice device, int threads, long blasThreshold, bool ilgpuOnly)
    {
        _blasThreshold = blasThreshold;
        _managed = !device.IsGpu && !ilgpuOnly;
        blasThreshold = ilgpuOnly ? NeverBlas : blasThreshold;
        bool allowBlas = blasThreshold != NeverBlas;
        _device = device;
        _threads = threads;
        _useBlas = allowBlas && !device.IsGpu && OpenBlas.IsAvailable;
        _kernel = device.Accelerator.LoadAutoGroupedStreamKernel<Index1D, int, ArrayView<double>, ArrayView<double>, ArrayView<double>, GemmShape>(EnsembleKernels.Gemm);
    }

    /// <summary>Whether large products use OpenBLAS.</summary>
    public bool UsesBlas => _useBlas;

    /// <summary>C_b = alpha op(A_b) op(B_b) + beta C_b for b = 0..batch-1, op(A) M x K, op(B) K x N.</summary>
    public void Run(int batch, int m, int n, int k, double alpha, MatrixOperand a, MatrixOperand b, double beta, MatrixOperand c)
    {
        if (c.Transposed)
        {
            throw new ArgumentException("The output of a product is stored as is.", nameof(c));
        }

        if (_useBlas && (long)m * n * k >= _blasThreshold)
        {
            RunBlas(batch, m, n, k, alpha, a, b, beta, c);
            return;
        }

        GemmShape shape = Shape(batch, m, n, k, alpha, a, b, beta, c);
        if (_managed)
        {
            RunManaged(shape, a, b, c);
            return;
        }

        long work = (long)batch * m * n;
        int threads = Launch.Threads(_device, _threads, work);
        _kernel(threads, threads, a.Buffer.View, b.Buffer.View, c.Buffer.View, shape);
    }

    private static GemmShape Shape(int batch, int m, int n, int k, double alpha, MatrixOperand a, MatrixOperand b, double beta, MatrixOperand c) =>
        new()
        {
            Batch = batch,
            M = m,
            N = n,
            K = k,
            Alpha = alpha,
            Beta = beta,
            AOffset = a.Offset,
            ABatch = a.BatchStride,
            ARow = a.Transposed ? 1 : a.Ld,
            ACol = a.Transposed ? a.Ld : 1,
            BOffset = b.Offset,
            BBatch = b.BatchStride,
            BRow = b.Transposed ? 1 : b.Ld,
            BCol = b.Transposed ? b.Ld : 1,
            COffset = c.Offset,
            CBatch = c.BatchStride,
            CRow = c.Ld,
        };

    /// <summary>The kernel's loop in C# on the host pointers, rows in parallel, the same summation order.</summary>
    private unsafe void RunManaged(GemmShape s, MatrixOperand a, MatrixOperand b, MatrixOperand c)
    {
        _device.Accelerator.Synchronize();
        double* pa = (double*)a.Buffer.NativePtr;
        double* pb = (double*)b.Buffer.NativePtr;
        double* pc = (double*)c.Buffer.NativePtr;
        long totalRows = (long)s.M * s.Batch;
        int chunks = (int)Math.Min(totalRows, 4L * _threads);
        Parallel.For(0, chunks, chunk =>
        {
            long end = totalRows * (chunk + 1) / chunks;
            for (long r = totalRows * chunk / chunks; r < end; r++)
            {
                long batch = r / s.M;
                long i = r % s.M;
                double* aRow = pa + s.AOffset + (batch * s.ABatch) + (i * s.ARow);
                double* bBatch = pb + s.BOffset + (batch * s.BBatch);
                double* cRow = pc + s.COffset + (batch * s.CBatch) + (i * s.CRow);
                for (long j = 0; j < s.N; j++)
                {
                    double* bColumn = bBatch + (j * s.BCol);
                    double sum = 0.0;
                    for (long p = 0; p < s.K; p++)
                    {
                        sum += aRow[p * s.ACol] * bColumn[p * s.BRow];
                    }

                    cRow[j] = s.Beta == 0.0 ? s.Alpha * sum : (s.Alpha * sum) + (s.Beta * cRow[j]);
                }
            }
        });
    }

    private unsafe void RunBlas(int batch, int m, int n, int k, double alpha, MatrixOperand a, MatrixOperand b, double beta, MatrixOperand c)
    {
        _device.Accelerator.Synchronize();
        double* pa = (double*)a.Buffer.NativePtr + a.Offset;
        double* pb = (double*)b.Buffer.NativePtr + b.Offset;
        double* pc = (double*)c.Buffer.NativePtr + c.Offset;
        for (int i = 0; i < batch; i++)
        {
            OpenBlas.Dgemm(a.Transposed, b.Transposed, m, n, k, alpha, pa + (i * a.BatchStride), a.Ld, pb + (i * b.BatchStride), b.Ld, beta, pc + (i * c.BatchStride), c.Ld);
        }
    }
}

/// <summary>Launch sizes for grid-stride kernels.</summary>
internal static class Launch
{
    /// <summary>
    /// Threads for <paramref name="work"/> independent items: at most <paramref name="cpuThreads"/> on the CPU accelerator
    /// (one OS thread each), up to 2^20 on a GPU.
    /// </summary>
    public static int Threads(ComputeDevice device, int cpuThreads, long work) =>
        (int)Math.Max(1, Math.Min(work, device.IsGpu ? 1 << 20 : cpuThreads));
}
