namespace FieldTheory.Ensembles;

/// <summary>
/// One member's row-major product C = alpha op(A) op(B) + beta C: single-threaded OpenBLAS <c>cblas_dgemm</c> when
/// <c>blas</c> is set (the caller runs members in parallel), else a plain loop summing p = 0..k-1 in order.
/// </summary>
internal static unsafe class MemberGemm
{
    public static void Run(bool blas, bool transA, bool transB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        fixed (double* pa = a, pb = b, pc = c)
        {
            if (blas)
            {
                OpenBlas.Dgemm(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
                return;
            }

            long aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
            long bRow = transB ? 1 : ldb, bCol = transB ? ldb : 1;
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double sum = 0.0;
                    for (int p = 0; p < k; p++)
                    {
                        sum += pa[(i * aRow) + (p * aCol)] * pb[(p * bRow) + (j * bCol)];
                    }

                    double* target = pc + ((long)i * ldc) + j;
                    *target = beta == 0.0 ? alpha * sum : (alpha * sum) + (beta * *target);
                }
            }
        }
    }
}
