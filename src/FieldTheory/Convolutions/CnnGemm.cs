using FieldTheory.Ensembles;

namespace FieldTheory.Convolutions;

/// <summary>
/// Row-major C = alpha op(A) op(B) + beta C on whole arrays, for one member at a time: OpenBLAS <c>cblas_dgemm</c>
/// (single-threaded; members run in parallel) when installed and <c>useBlas</c>, else a plain loop in a fixed order.
/// </summary>
internal static class CnnGemm
{
    public static unsafe void Run(bool useBlas, bool transA, bool transB, int m, int n, int k, double alpha, double[] a, double[] b, double beta, double[] c)
    {
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        if (useBlas)
        {
            fixed (double* pa = a, pb = b, pc = c)
            {
                OpenBlas.Dgemm(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, n);
            }

            return;
        }

        for (int i = 0; i < m; i++)
        {
            int row = i * n;
            if (beta == 0.0)
            {
                Array.Clear(c, row, n);
            }
            else if (beta != 1.0)
            {
                for (int j = 0; j < n; j++)
                {
                    c[row + j] *= beta;
                }
            }

            for (int p = 0; p < k; p++)
            {
                double aip = alpha * (transA ? a[(p * lda) + i] : a[(i * lda) + p]);
                if (aip == 0.0)
                {
                    continue;
                }

                if (transB)
                {
                    for (int j = 0; j < n; j++)
                    {
                        c[row + j] += aip * b[(j * ldb) + p];
                    }
                }
                else
                {
                    int bRow = p * ldb;
                    for (int j = 0; j < n; j++)
                    {
                        c[row + j] += aip * b[bRow + j];
                    }
                }
            }
        }
    }
}
