using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FieldTheory.Compute;

/// <summary><see cref="ILanes{TSelf}"/> on <see cref="Vector512{T}"/> (AVX-512): eight doubles per vector.</summary>
internal readonly struct Vector512Lanes(Vector512<double> value) : ILanes<Vector512Lanes>
{
    private readonly Vector512<double> _value = value;

    public static int Count => Vector512<double>.Count;

    public static Vector512Lanes Zero => default;

    public double this[int lane] => _value[lane];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes Create(double value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes Load(ref double source, nuint index) => new(Vector512.LoadUnsafe(ref source, index));

    public static Vector512Lanes FirstLanes(int lanes)
    {
        Span<double> mask = stackalloc double[Count];
        for (int i = 0; i < Count; i++)
        {
            mask[i] = lanes == 0 || i < lanes ? 1.0 : 0.0;
        }

        return new(Vector512.Create((ReadOnlySpan<double>)mask));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes operator +(Vector512Lanes a, Vector512Lanes b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes operator -(Vector512Lanes a, Vector512Lanes b) => new(a._value - b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes operator *(Vector512Lanes a, Vector512Lanes b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes operator /(Vector512Lanes a, Vector512Lanes b) => new(a._value / b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes FusedMultiplyAdd(Vector512Lanes a, Vector512Lanes b, Vector512Lanes c) => new(Vector512.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes Min(Vector512Lanes a, Vector512Lanes b) => new(Vector512.Min(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes Abs(Vector512Lanes a) => new(Vector512.Abs(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes Floor(Vector512Lanes a) => new(Vector512.Floor(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes PowerOfTwo(Vector512Lanes k) =>
        new(Vector512.ShiftLeft(Vector512.ConvertToInt64(k._value) + Vector512.Create(1023L), 52).AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes WithSignOf(Vector512Lanes magnitude, Vector512Lanes sign) =>
        new((magnitude._value.AsUInt64() | (sign._value.AsUInt64() & Vector512.Create(0x8000_0000_0000_0000UL))).AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double target, nuint index) => _value.StoreUnsafe(ref target, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Sum() => Vector512.Sum(_value);
}
