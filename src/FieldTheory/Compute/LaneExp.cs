using System.Runtime.CompilerServices;

namespace FieldTheory.Compute;

/// <summary>
/// e^x on SIMD lanes with the same operations at every width, so 4-lane and 8-lane machines give the same bits (the
/// runtime's Vector256.Exp and Vector512.Exp differ by an ulp at some points): e^x = 2^k (1 + expm1(r)) after
/// x = k ln 2 + r, |r| &lt;= ln 2 / 2, with expm1(r) by <see cref="ExpM1Reduced{TLanes}"/> (also tanh's kernel,
/// <see cref="LaneTanh"/>). 2^k is applied in two halves, so the whole range, subnormal results included, needs no
/// special case; beyond it x is clamped where e^x is already infinite or zero. NaN stays NaN.
/// </summary>
internal static class LaneExp
{
    internal const double Ln2Hi = 6.93147180369123816490e-01;
    internal const double Ln2Lo = 1.90821492927058770002e-10;
    internal const double InvLn2 = 1.44269504088896338700e+00;

    // e^710 overflows and e^-746 rounds to 0; inside, |k| <= 1076 and each half of 2^k is a normal double.
    private const double Largest = 710.0;
    private const double Smallest = -746.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TLanes Exp<TLanes>(TLanes x)
        where TLanes : struct, ILanes<TLanes>
    {
        x = TLanes.ConditionalSelect(TLanes.GreaterThan(x, TLanes.Create(Largest)), TLanes.Create(Largest), x);
        x = TLanes.ConditionalSelect(TLanes.LessThan(x, TLanes.Create(Smallest)), TLanes.Create(Smallest), x);
        TLanes k = TLanes.RoundToInteger(x * TLanes.Create(InvLn2));
        TLanes r = TLanes.NegatedMultiplyAdd(k, TLanes.Create(Ln2Hi), x);
        r = TLanes.NegatedMultiplyAdd(k, TLanes.Create(Ln2Lo), r);
        TLanes p = ExpM1Reduced(r);
        TLanes half = TLanes.RoundToInteger(k * TLanes.Create(0.5));
        TLanes first = TLanes.ScaleByPowerOfTwo(TLanes.Create(1.0), half);
        TLanes second = TLanes.ScaleByPowerOfTwo(TLanes.Create(1.0), k - half);
        return TLanes.FusedMultiplyAdd(first, p, first) * second;
    }

    /// <summary>
    /// e^r - 1 for |r| &lt;= ln 2 / 2: r q(r) with q(r) = sum_{i &lt;= 12} r^i / (i + 1)!, the Taylor series (truncation
    /// below 2e-17 relative), so small r keeps full relative accuracy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TLanes ExpM1Reduced<TLanes>(TLanes r)
        where TLanes : struct, ILanes<TLanes>
    {
        // Estrin's scheme: a short dependency chain, so the out-of-order core overlaps neighbouring vectors.
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
        return q * r;
    }
}
