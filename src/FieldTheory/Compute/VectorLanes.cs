using System.Numerics;
using System.Runtime.CompilerServices;

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
    public static VectorLanes FusedMultiplyAdd(VectorLanes a, VectorLanes b, VectorLanes c) => new(Vector.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes Min(VectorLanes a, VectorLanes b) => new(Vector.Min(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes Abs(VectorLanes a) => new(Vector.Abs(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes Floor(VectorLanes a) => new(Vector.Floor(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes PowerOfTwo(VectorLanes k) =>
        new(Vector.AsVectorDouble(Vector.ShiftLeft(Vector.ConvertToInt64(k._value) + new Vector<long>(1023), 52)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static VectorLanes WithSignOf(VectorLanes magnitude, VectorLanes sign) =>
        new(Vector.AsVectorDouble(Vector.AsVectorUInt64(magnitude._value) | (Vector.AsVectorUInt64(sign._value) & new Vector<ulong>(0x8000_0000_0000_0000UL))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double target, nuint index) => _value.StoreUnsafe(ref target, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Sum() => Vector.Sum(_value);
}
