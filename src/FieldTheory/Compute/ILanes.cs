namespace FieldTheory.Compute;

/// <summary>
/// A SIMD vector of doubles of a fixed width, as a type the hot loops are generic over: the JIT specialises every
/// loop for each struct that implements this, so <see cref="VectorLanes"/> (<see cref="System.Numerics.Vector{T}"/>,
/// 256 bits on x64) and <see cref="Vector512Lanes"/> (AVX-512) share one source. <see cref="Lanes.Widest"/> picks one
/// per process.
/// </summary>
/// <remarks>
/// Public because the code the generator emits for a model's activation (<see cref="IActivation.Lanes{TLanes}(TLanes, out TLanes, out TLanes)"/>) is
/// written against it; the implementations stay internal, and the runtime chooses the width.
/// </remarks>
/// <typeparam name="TSelf">The implementing struct.</typeparam>
public interface ILanes<TSelf>
    where TSelf : struct, ILanes<TSelf>
{
    /// <summary>Doubles per vector.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>All lanes <paramref name="value"/>.</summary>
    static abstract TSelf Create(double value);

    /// <summary>Lanes source[index .. index + Count).</summary>
    static abstract TSelf Load(ref double source, nuint index);

    /// <summary>The first <paramref name="lanes"/> lanes one, the rest zero (all lanes one for 0).</summary>
    static abstract TSelf FirstLanes(int lanes);

    /// <summary>a + b lane by lane.</summary>
    static abstract TSelf operator +(TSelf a, TSelf b);

    /// <summary>a - b lane by lane.</summary>
    static abstract TSelf operator -(TSelf a, TSelf b);

    /// <summary>a b lane by lane.</summary>
    static abstract TSelf operator *(TSelf a, TSelf b);

    /// <summary>a / b lane by lane.</summary>
    static abstract TSelf operator /(TSelf a, TSelf b);

    /// <summary>-a lane by lane (the sign bit flipped, as the scalar negation does).</summary>
    static abstract TSelf operator -(TSelf a);

    /// <summary>All bits set in the lanes where a &gt; b, zero elsewhere (NaN compares false).</summary>
    static abstract TSelf GreaterThan(TSelf a, TSelf b);

    /// <summary>All bits set in the lanes where a &gt;= b, zero elsewhere (NaN compares false).</summary>
    static abstract TSelf GreaterThanOrEqual(TSelf a, TSelf b);

    /// <summary>All bits set in the lanes where a &lt; b, zero elsewhere (NaN compares false).</summary>
    static abstract TSelf LessThan(TSelf a, TSelf b);

    /// <summary>All bits set in the lanes where a &lt;= b, zero elsewhere (NaN compares false).</summary>
    static abstract TSelf LessThanOrEqual(TSelf a, TSelf b);

    /// <summary><paramref name="whenTrue"/> where <paramref name="mask"/> (from a comparison) is set, else <paramref name="whenFalse"/>.</summary>
    static abstract TSelf ConditionalSelect(TSelf mask, TSelf whenTrue, TSelf whenFalse);

    /// <summary>ln a, within 2 ulps of <see cref="Math.Log(double)"/> and the same bits at every width.</summary>
    static abstract TSelf Log(TSelf a);

    /// <summary>The square root, correctly rounded.</summary>
    static abstract TSelf Sqrt(TSelf a);

    /// <summary>a b + c with one rounding.</summary>
    static abstract TSelf FusedMultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>The smaller of a and b lane by lane.</summary>
    static abstract TSelf Min(TSelf a, TSelf b);

    /// <summary>|a| lane by lane.</summary>
    static abstract TSelf Abs(TSelf a);

    /// <summary>min(a, bound) lane by lane; a NaN lane of <paramref name="a"/> stays NaN.</summary>
    static abstract TSelf AtMost(TSelf a, double bound);

    /// <summary>c - a b with one rounding.</summary>
    static abstract TSelf NegatedMultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>The nearest integer, ties to even.</summary>
    static abstract TSelf RoundToInteger(TSelf a);

    /// <summary>x 2^k for lanes of k holding integers with x 2^k in the normal range.</summary>
    static abstract TSelf ScaleByPowerOfTwo(TSelf x, TSelf k);

    /// <summary>|magnitude| with the sign bit of <paramref name="sign"/> (magnitude must be non-negative).</summary>
    static abstract TSelf WithSignOf(TSelf magnitude, TSelf sign);

    /// <summary>Lane <paramref name="lane"/>.</summary>
    double this[int lane] { get; }

    /// <summary>Stores the lanes at target[index .. index + Count).</summary>
    void Store(ref double target, nuint index);

    /// <summary>Sum of the lanes, in lane order.</summary>
    double Sum();

    /// <summary>
    /// Lane i holds the sum of the lanes of vectors[i], for exactly <see cref="Count"/> vectors: a transposing
    /// reduction, several times cheaper than <see cref="Count"/> separate <see cref="Sum"/> calls.
    /// </summary>
    static abstract TSelf SumEach(ReadOnlySpan<TSelf> vectors);
}

/// <summary>The lane width a process uses.</summary>
internal static class Lanes
{
    /// <summary>
    /// True when <see cref="Vector512Lanes"/> are used: AVX-512 is accelerated and <see cref="System.Numerics.Vector{T}"/>
    /// is narrower (the runtime keeps it at 256 bits unless DOTNET_MaxVectorTBitWidth says otherwise). FTC_SIMD=vector
    /// forces <see cref="VectorLanes"/> (for comparisons).
    /// </summary>
    public static bool UseVector512 { get; } =
        System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated
        && System.Numerics.Vector<double>.Count < System.Runtime.Intrinsics.Vector512<double>.Count
        && Environment.GetEnvironmentVariable("FTC_SIMD") != "vector";

    /// <summary>Doubles per vector of the lanes in use.</summary>
    public static int Widest => UseVector512 ? Vector512Lanes.Count : VectorLanes.Count;
}
