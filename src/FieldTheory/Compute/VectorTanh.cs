using System.Numerics;
using System.Runtime.CompilerServices;

namespace FieldTheory.Compute;

/// <summary>
/// tanh on <see cref="Vector{T}"/> lanes, within a few ulps of <see cref="Math.Tanh"/>: tanh x = sign(x) m / (m + 2)
/// with m = expm1(2|x|). expm1(u) = 2^k p(r) + (2^k - 1) after u = k ln 2 + r, |r| &lt;= ln 2 / 2, with p(r) = e^r - 1
/// summed as its Taylor series to r^13 (truncation below 2e-17 relative), so small |x| (k = 0) keeps full relative
/// accuracy. |x| is clamped at 20, where tanh already rounds to 1.
/// </summary>
internal static class VectorTanh
{
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double InvLn2 = 1.44269504088896338700e+00;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Tanh(Vector<double> x)
    {
        Vector<double> ax = Vector.Min(Vector.Abs(x), new Vector<double>(20.0));
        Vector<double> u = ax + ax;
        Vector<double> k = Vector.Floor(Vector.FusedMultiplyAdd(u, new Vector<double>(InvLn2), new Vector<double>(0.5)));
        Vector<double> r = Vector.FusedMultiplyAdd(-k, new Vector<double>(Ln2Hi), u);
        r = Vector.FusedMultiplyAdd(-k, new Vector<double>(Ln2Lo), r);

        Vector<double> q = new(1.0 / 6227020800.0);
        q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 479001600.0));
        q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 39916800.0));
        q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 3628800.0));
        q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 362880.0));
        q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 40320.0));
        q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 5040.0));
        q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 720.0));
        q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 120.0));
        q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 24.0));
        q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(1.0 / 6.0));
        q = Vector.FusedMultiplyAdd(q, r, new Vector<double>(0.5));
        q = Vector.FusedMultiplyAdd(q, r, Vector<double>.One);

        Vector<double> p = q * r;
        Vector<double> scale = Vector.AsVectorDouble(Vector.ShiftLeft(Vector.ConvertToInt64(k) + new Vector<long>(1023), 52));
        Vector<double> m = Vector.FusedMultiplyAdd(scale, p, scale - Vector<double>.One);
        Vector<double> t = m / (m + new Vector<double>(2.0));
        Vector<ulong> sign = Vector.AsVectorUInt64(x) & new Vector<ulong>(0x8000_0000_0000_0000UL);
        return Vector.AsVectorDouble(Vector.AsVectorUInt64(t) | sign);
    }
}
