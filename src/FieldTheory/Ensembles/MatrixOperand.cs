using ILGPU;
using ILGPU.Runtime;

namespace FieldTheory.Ensembles;

/// <summary>
/// One operand of a batched product: a row-major matrix per member inside <paramref name="Buffer"/>, starting at
/// <paramref name="Offset"/>, members <paramref name="BatchStride"/> apart (0 shares one matrix between members),
/// rows <paramref name="Ld"/> apart, used as stored or <paramref name="Transposed"/>.
/// </summary>
internal readonly record struct MatrixOperand(MemoryBuffer1D<double, Stride1D.Dense> Buffer, long BatchStride, int Ld, bool Transposed = false, long Offset = 0)
{
    public MatrixOperand T => this with { Transposed = !Transposed };
}
