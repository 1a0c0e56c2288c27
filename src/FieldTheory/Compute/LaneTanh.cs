using System.Runtime.CompilerServices;

namespace FieldTheory.Compute;

/// <summary>
/// tanh on SIMD lanes, within a few ulps of <see cref="Math.Tanh"/>: tanh x = sign(x) m / (m + 2) with
/// m = expm1(2|x|). expm1(u) = 2^k p(r) + (2^k - 1) after u = k ln 2 + r, |r| &lt;= ln 2 / 2, with p(r) = e^r - 1
/// from <see cref="LaneExp.ExpM1Reduced{TLanes}"/>, so small |x| (k = 0) keeps full relative accuracy. |x| is clamped
/// at 20, where tanh already rounds to 1.
/// </summary>
internal static class LaneTanh
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes Tanh<TLanes>(TLanes x)
        where TLanes : struct, ILanes<TLanes>
    {
        TLanes ax = TLanes.AtMost(TLanes.Abs(x), 20.0);
        TLanes u = ax + ax;
        TLanes k = TLanes.RoundToInteger(u * TLanes.Create(LaneExp.InvLn2));
        TLanes r = TLanes.NegatedMultiplyAdd(k, TLanes.Create(LaneExp.Ln2Hi), u);
        r = TLanes.NegatedMultiplyAdd(k, TLanes.Create(LaneExp.Ln2Lo), r);
        TLanes p = LaneExp.ExpM1Reduced(r);
        TLanes scale = TLanes.ScaleByPowerOfTwo(TLanes.Create(1.0), k);
        TLanes m = TLanes.FusedMultiplyAdd(scale, p, scale - TLanes.Create(1.0));
        return TLanes.WithSignOf(m / (m + TLanes.Create(2.0)), x);
    }
}
