using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FieldTheory.Compute;

/// <summary><see cref="ILanes{TSelf}"/> on <see cref="Vector{T}"/>: the portable width (256 bits on x64 by default).</summary>
internal readonly struct VectorLanes(Vector<double> value) : ILanes<VectorLanes>
{
    private readonly Vector<double> _value = value;

    public static int Count => Vector<double>.Count;

    public static VectorLanes Zero => default;

    public double this[int lane] => _value[lane];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes Create(double value) => new(new Vector<double>(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes Load(ref double source, nuint index) => new(Vector.LoadUnsafe(ref source, index));

    public static VectorLanes FirstLanes(int lanes)
    {
        Span<double> mask = stackalloc double[Count];
        for (int i = 0; i < Count; i++)
        {
            mask[i] = lanes == 0 || i < lanes ? 1.0 : 0.0;
        }

        return new(new Vector<double>(mask));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes operator +(VectorLanes a, VectorLanes b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes operator -(VectorLanes a, VectorLanes b) => new(a._value - b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes operator *(VectorLanes a, VectorLanes b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes operator /(VectorLanes a, VectorLanes b) => new(a._value / b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes operator -(VectorLanes a) => new(-a._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes GreaterThan(VectorLanes a, VectorLanes b) => new(Vector.GreaterThan<double>(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes GreaterThanOrEqual(VectorLanes a, VectorLanes b) => new(Vector.GreaterThanOrEqual<double>(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes LessThan(VectorLanes a, VectorLanes b) => new(Vector.LessThan<double>(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes LessThanOrEqual(VectorLanes a, VectorLanes b) => new(Vector.LessThanOrEqual<double>(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes ConditionalSelect(VectorLanes mask, VectorLanes whenTrue, VectorLanes whenFalse) => new(Vector.ConditionalSelect<double>(mask._value, whenTrue._value, whenFalse._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes Log(VectorLanes a) => new(Vector.Log(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes Sqrt(VectorLanes a) => new(Vector.SquareRoot(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes FusedMultiplyAdd(VectorLanes a, VectorLanes b, VectorLanes c) => new(Vector.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes Min(VectorLanes a, VectorLanes b) => new(Vector.Min(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes Abs(VectorLanes a) => new(Vector.Abs(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes AtMost(VectorLanes a, double bound) => new(Vector.Min(a._value, new Vector<double>(bound)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes NegatedMultiplyAdd(VectorLanes a, VectorLanes b, VectorLanes c) => new(Vector.FusedMultiplyAdd(-a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes RoundToInteger(VectorLanes a) => new(Vector.Round(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes ScaleByPowerOfTwo(VectorLanes x, VectorLanes k) =>
        new(x._value * Vector.AsVectorDouble(Vector.ShiftLeft(Vector.ConvertToInt64(k._value) + new Vector<long>(1023), 52)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes WithSignOf(VectorLanes magnitude, VectorLanes sign) =>
        new(Vector.AsVectorDouble(Vector.AsVectorUInt64(magnitude._value) | (Vector.AsVectorUInt64(sign._value) & new Vector<ulong>(0x8000_0000_0000_0000UL))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double target, nuint index) => _value.StoreUnsafe(ref target, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Sum() => Vector.Sum(_value);

    public static VectorLanes SumEach(ReadOnlySpan<VectorLanes> vectors)
    {
        if (Count == 4 && Avx.IsSupported)
        {
            // [x01, y01, x23, y23] per pair, then the 128-bit halves across the pairs.
            Vector256<double> a = Avx.HorizontalAdd(vectors[0]._value.AsVector256(), vectors[1]._value.AsVector256());
            Vector256<double> b = Avx.HorizontalAdd(vectors[2]._value.AsVector256(), vectors[3]._value.AsVector256());
            return new((Avx.Permute2x128(a, b, 0x20) + Avx.Permute2x128(a, b, 0x31)).AsVector());
        }

        Span<double> sums = stackalloc double[Count];
        for (int i = 0; i < Count; i++)
        {
            sums[i] = vectors[i].Sum();
        }

        return new(new Vector<double>(sums));
    }
}
