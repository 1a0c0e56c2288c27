using System.Runtime.CompilerServices;

namespace FieldTheory.Compute;

/// <summary>
/// tanh on SIMD lanes, within a few ulps of <see cref="Math.Tanh"/>: tanh x = sign(x) m / (m + 2) with
/// m = expm1(2|x|). expm1(u) = 2^k p(r) + (2^k - 1) after u = k ln 2 + r, |r| &lt;= ln 2 / 2, with p(r) = e^r - 1
/// summed as its Taylor series to r^13 (truncation below 2e-17 relative), so small |x| (k = 0) keeps full relative
/// accuracy. |x| is clamped at 20, where tanh already rounds to 1.
/// </summary>
internal static class LaneTanh
{
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double InvLn2 = 1.44269504088896338700e+00;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes Tanh<TLanes>(TLanes x)
        where TLanes : struct, ILanes<TLanes>
    {
        TLanes ax = TLanes.AtMost(TLanes.Abs(x), 20.0);
        TLanes u = ax + ax;
        TLanes k = TLanes.RoundToInteger(u * TLanes.Create(InvLn2));
        TLanes r = TLanes.NegatedMultiplyAdd(k, TLanes.Create(Ln2Hi), u);
        r = TLanes.NegatedMultiplyAdd(k, TLanes.Create(Ln2Lo), r);

        // q(r) = sum_{i <= 12} r^i / (i + 1)! by Estrin's scheme: a short dependency chain, so the out-of-order core
        // overlaps neighbouring vectors.
        TLanes r2 = r * r;
        TLanes r4 = r2 * r2;
        TLanes r8 = r4 * r4;
        TLanes a0 = TLanes.FusedMultiplyAdd(r, TLanes.Create(1.0 / 2.0), TLanes.Create(1.0));
        TLanes a1 = TLanes.FusedMultiplyAdd(r, TLanes.Create(1.0 / 24.0), TLanes.Create(1.0 / 6.0));
        TLanes a2 = TLanes.FusedMultiplyAdd(r, TLanes.Create(1.0 / 720.0), TLanes.Create(1.0 / 120.0));
        TLanes a3 = TLanes.FusedMultiplyAdd(r, TLanes.Create(1.0 / 40320.0), TLanes.Create(1.0 / 5040.0));
        TLanes a4 = TLanes.FusedMultiplyAdd(r, TLanes.Create(1.0 / 3628800.0), TLanes.Create(1.0 / 362880.0));
        TLanes a5 = TLanes.FusedMultiplyAdd(r, TLanes.Create(1.0 / 479001600.0), TLanes.Create(1.0 / 39916800.0));
        TLanes b0 = TLanes.FusedMultiplyAdd(r2, a1, a0);
        TLanes b1 = TLanes.FusedMultiplyAdd(r2, a3, a2);
        TLanes b2 = TLanes.FusedMultiplyAdd(r2, a5, a4);
        TLanes c0 = TLanes.FusedMultiplyAdd(r4, b1, b0);
        TLanes c1 = TLanes.FusedMultiplyAdd(r4, TLanes.Create(1.0 / 6227020800.0), b2);
        TLanes q = TLanes.FusedMultiplyAdd(r8, c1, c0);

        TLanes p = q * r;
        TLanes scale = TLanes.ScaleByPowerOfTwo(TLanes.Create(1.0), k);
        TLanes m = TLanes.FusedMultiplyAdd(scale, p, scale - TLanes.Create(1.0));
        return TLanes.WithSignOf(m / (m + TLanes.Create(2.0)), x);
    }
}
