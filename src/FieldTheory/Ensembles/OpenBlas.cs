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

    private static readonly Lazy<nint> GetThreadsPointer = new(() =>
        Library.Value != 0 && NativeLibrary.TryGetExport(Library.Value, "openblas_get_num_threads", out nint f) ? f : 0);

    private static readonly Lock ThreadsLock = new();
    private static int _singleThreadedScopes;
    private static int _threadsBefore;

    /// <summary>
    /// OpenBLAS single-threaded until the returned scope is disposed: the engines call it from many threads at once, one
    /// product per member. Scopes nest and overlap (a count); the last one to close restores the thread count the
    /// process had before the first. No effect when the library is absent.
    /// </summary>
    public static IDisposable SingleThreaded()
    {
        lock (ThreadsLock)
        {
            if (_singleThreadedScopes++ == 0)
            {
                _threadsBefore = GetThreads();
                SetThreads(1);
            }
        }

        return new ThreadsScope();
    }

    /// <summary>OpenBLAS's own thread count (1 when the library or the function is absent).</summary>
    public static int GetThreads() =>
        GetThreadsPointer.Value != 0 ? ((delegate* unmanaged<int>)GetThreadsPointer.Value)() : 1;

    private static void SetThreads(int threads)
    {
        if (SetThreadsPointer.Value != 0)
        {
            ((delegate* unmanaged<int, void>)SetThreadsPointer.Value)(threads);
        }
    }

    private sealed class ThreadsScope : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            lock (ThreadsLock)
            {
                if (--_singleThreadedScopes == 0)
                {
                    SetThreads(_threadsBefore);
                }
            }
        }
    }
}
