using System.Runtime.InteropServices;

namespace FieldTheory.Ensembles;

/// <summary>
/// <c>cblas_dgemm</c> from the system OpenBLAS (Debian package <c>libopenblas0</c>), loaded on first use when present.
/// ILGPU's CPU accelerator has no SIMD, so large products on the CPU go here (DESIGN.md 6.3).
/// </summary>
internal static unsafe partial class OpenBlas
{
    private const int RowMajor = 101;
    private const int NoTrans = 111;
    private const int Trans = 112;

    private static readonly Lazy<nint> Library = new(() =>
        NativeLibrary.TryLoad("libopenblas.so.0", out nint handle) || NativeLibrary.TryLoad("libopenblas", out handle) ? handle : 0);

    private static readonly Lazy<nint> DgemmPointer = new(() =>
        Library.Value != 0 && NativeLibrary.TryGetExport(Library.Value, "cblas_dgemm", out nint f) ? f : 0);

    private static readonly Lazy<nint> SetThreadsPointer = new(() =>
        Library.Value != 0 && NativeLibrary.TryGetExport(Library.Value, "openblas_set_num_threads", out nint f) ? f : 0);

    /// <summary>True when the library and <c>cblas_dgemm</c> were found.</summary>
    public static bool IsAvailable => DgemmPointer.Value != 0;

    /// <summary>Row-major C = alpha op(A) op(B) + beta C.</summary>
    public static void Dgemm(bool transA, bool transB, int m, int n, int k, double alpha, double* a, int lda, double* b, int ldb, double beta, double* c, int ldc)
    {
        var dgemm = (delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)DgemmPointer.Value;
        dgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>Sets OpenBLAS's own thread count (no effect when the library is absent).</summary>
    public static void SetThreads(int threads)
    {
        if (SetThreadsPointer.Value != 0)
        {
            ((delegate* unmanaged<int, void>)SetThreadsPointer.Value)(threads);
        }
    }
}
