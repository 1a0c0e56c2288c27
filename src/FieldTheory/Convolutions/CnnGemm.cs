using FieldTheory.Ensembles;

namespace FieldTheory.Convolutions;

/// <summary>
/// Row-major C = alpha op(A) op(B) + beta C for one member at a time: OpenBLAS <c>cblas_dgemm</c> (single-threaded;
/// members run in parallel) when installed and <c>useBlas</c>, else a plain loop in a fixed order.
/// </summary>
internal static class CnnGemm
{
    /// <summary>The product of whole, densely stored matrices.</summary>
    public static void Run(bool useBlas, bool transA, bool transB, int m, int n, int k, double alpha, double[] a, double[] b, double beta, double[] c) =>
        Run(useBlas, transA, transB, m, n, k, alpha, new Strided(a, 0, transA ? m : k), new Strided(b, 0, transB ? k : n), beta, new Strided(c, 0, n));

    /// <summary>The product of sub-matrices: each operand starts at its offset with its own leading dimension (row stride).</summary>
    public static unsafe void Run(bool useBlas, bool transA, bool transB, int m, int n, int k, double alpha, Strided a, Strided b, double beta, Strided c)
    {
        if (useBlas)
        {
            fixed (double* pa = a.Values, pb = b.Values, pc = c.Values)
            {
                OpenBlas.Dgemm(transA, transB, m, n, k, alpha, pa + a.Offset, a.Stride, pb + b.Offset, b.Stride, beta, pc + c.Offset, c.Stride);
            }

            return;
        }

        for (int i = 0; i < m; i++)
        {
            int row = c.Offset + (i * c.Stride);
            if (beta == 0.0)
            {
                Array.Clear(c.Values, row, n);
            }
            else if (beta != 1.0)
            {
                for (int j = 0; j < n; j++)
                {
                    c.Values[row + j] *= beta;
                }
            }

            for (int p = 0; p < k; p++)
            {
                double aip = alpha * a.Values[a.Offset + (transA ? (p * a.Stride) + i : (i * a.Stride) + p)];
                if (aip == 0.0)
                {
                    continue;
                }

                if (transB)
                {
                    for (int j = 0; j < n; j++)
                    {
                        c.Values[row + j] += aip * b.Values[b.Offset + (j * b.Stride) + p];
                    }
                }
                else
                {
                    int bRow = b.Offset + (p * b.Stride);
                    for (int j = 0; j < n; j++)
                    {
                        c.Values[row + j] += aip * b.Values[bRow + j];
                    }
                }
            }
        }
    }

    /// <summary>A row-major matrix inside <paramref name="Values"/>: element (i, j) at Offset + i Stride + j.</summary>
    public readonly record struct Strided(double[] Values, int Offset, int Stride);
}
