using System.Runtime.InteropServices;

namespace FieldTheory.Ensembles;

/// <summary>
/// Shape and strides of a batched product C_b = alpha A_b B_b + beta C_b (M x K times K x N), as passed to
/// <see cref="EnsembleKernels.Gemm"/>: A_b(i, p) = a[AOffset + b ABatch + i ARow + p ACol], B_b(p, j) likewise with
/// BRow, BCol, and C_b(i, j) = c[COffset + b CBatch + i CRow + j].
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GemmShape
{
    public int Batch;
    public int M;
    public int N;
    public int K;
    public double Alpha;
    public double Beta;
    public long AOffset;
    public long ABatch;
    public long ARow;
    public long ACol;
    public long BOffset;
    public long BBatch;
    public long BRow;
    public long BCol;
    public long COffset;
    public long CBatch;
    public long CRow;
}
