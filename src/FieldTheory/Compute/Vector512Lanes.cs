using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
    public static Vector512Lanes operator -(Vector512Lanes a) => new(-a._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes GreaterThan(Vector512Lanes a, Vector512Lanes b) => new(Vector512.GreaterThan(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes GreaterThanOrEqual(Vector512Lanes a, Vector512Lanes b) => new(Vector512.GreaterThanOrEqual(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes LessThan(Vector512Lanes a, Vector512Lanes b) => new(Vector512.LessThan(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes LessThanOrEqual(Vector512Lanes a, Vector512Lanes b) => new(Vector512.LessThanOrEqual(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes ConditionalSelect(Vector512Lanes mask, Vector512Lanes whenTrue, Vector512Lanes whenFalse) => new(Vector512.ConditionalSelect(mask._value, whenTrue._value, whenFalse._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes Log(Vector512Lanes a) => new(Vector512.Log(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes Sqrt(Vector512Lanes a) => new(Vector512.Sqrt(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes FusedMultiplyAdd(Vector512Lanes a, Vector512Lanes b, Vector512Lanes c) => new(Vector512.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes Min(Vector512Lanes a, Vector512Lanes b) => new(Vector512.Min(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes Abs(Vector512Lanes a) => new(Vector512.Abs(a._value));

    // vminpd returns its second operand where either is NaN: one instruction, against three for Vector512.Min's
    // IEEE semantics.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes AtMost(Vector512Lanes a, double bound) =>
        new(Avx512F.IsSupported ? Avx512F.Min(Vector512.Create(bound), a._value) : Vector512.Min(a._value, Vector512.Create(bound)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes NegatedMultiplyAdd(Vector512Lanes a, Vector512Lanes b, Vector512Lanes c) =>
        new(Avx512F.IsSupported ? Avx512F.FusedMultiplyAddNegated(a._value, b._value, c._value) : Vector512.FusedMultiplyAdd(-a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes RoundToInteger(Vector512Lanes a) =>
        new(Avx512F.IsSupported ? Avx512F.RoundScale(a._value, 0x08) : Vector512.Round(a._value));

    // vscalefpd: x 2^k in one instruction (the bit-pasting form needs six, the conversion to integers saturating).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes ScaleByPowerOfTwo(Vector512Lanes x, Vector512Lanes k) =>
        new(Avx512F.IsSupported
            ? Avx512F.Scale(x._value, k._value)
            : x._value * Vector512.ShiftLeft(Vector512.ConvertToInt64(k._value) + Vector512.Create(1023L), 52).AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512Lanes WithSignOf(Vector512Lanes magnitude, Vector512Lanes sign) =>
        new((magnitude._value.AsUInt64() | (sign._value.AsUInt64() & Vector512.Create(0x8000_0000_0000_0000UL))).AsDouble());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double target, nuint index) => _value.StoreUnsafe(ref target, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Sum() => Vector512.Sum(_value);

    public static Vector512Lanes SumEach(ReadOnlySpan<Vector512Lanes> vectors)
    {
        if (!Avx512F.IsSupported)
        {
            Span<double> sums = stackalloc double[Count];
            for (int i = 0; i < Count; i++)
            {
                sums[i] = vectors[i].Sum();
            }

            return new(Vector512.Create((ReadOnlySpan<double>)sums));
        }

        // Pairs within 128-bit lanes, then 128-bit lanes across pairs of pairs, then across the two halves.
        Vector512<double> a = Pair(vectors[0]._value, vectors[1]._value);
        Vector512<double> b = Pair(vectors[2]._value, vectors[3]._value);
        Vector512<double> c = Pair(vectors[4]._value, vectors[5]._value);
        Vector512<double> d = Pair(vectors[6]._value, vectors[7]._value);
        Vector512<double> ab = Quads(a, b);
        Vector512<double> cd = Quads(c, d);
        return new(Quads(ab, cd));

        // [x01, y01, x23, y23, x45, y45, x67, y67] (x01 = x0 + x1).
        static Vector512<double> Pair(Vector512<double> x, Vector512<double> y) => Avx512F.UnpackLow(x, y) + Avx512F.UnpackHigh(x, y);

        // 128-bit lanes [x.0 + x.1, x.2 + x.3, y.0 + y.1, y.2 + y.3].
        static Vector512<double> Quads(Vector512<double> x, Vector512<double> y) =>
            Avx512F.Shuffle4x128(x, y, 0b10_00_10_00) + Avx512F.Shuffle4x128(x, y, 0b11_01_11_01);
    }
}
