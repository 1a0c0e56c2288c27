namespace FieldTheory.Compute;

/// <summary>
/// erf on SIMD lanes by the pieces of <see cref="SpecialFunctions.Erf"/> (|x| &lt; 1/2: x P(x^2); up to 13/2:
/// 1 - exp(-a^2) R_k(u) per unit interval k; beyond: +-1), with the same coefficients and operations, so each lane
/// equals the scalar function up to the rounding of exp (<see cref="LaneExp"/>, within an ulp of <see cref="Math.Exp"/>)
/// and both lane widths give the same bits. A vector evaluates only the pieces its lanes fall in (neighbouring sites
/// usually share one) and selects per lane; NaN stays NaN.
/// </summary>
internal static partial class LaneErf
{
    private const double TaylorLimit = 0.5;
    private const double PolynomialLimit = 6.5;

    public static TLanes Erf<TLanes>(TLanes x)
        where TLanes : struct, ILanes<TLanes>
    {
        TLanes a = TLanes.Abs(x);
        (int first, int last) = Pieces(a);
        TLanes result = Saturated(x);
        if (first <= 6 && last >= 1)
        {
            // Lanes of a later piece overwrite those of earlier ones: each lane keeps the piece it lies in.
            TLanes scaled = TLanes.Zero;
            for (int k = Math.Max(first, 1); k <= Math.Min(last, 6); k++)
            {
                TLanes u = TLanes.Create(2.0) * (a - TLanes.Create(k));
                scaled = TLanes.ConditionalSelect(TLanes.GreaterThanOrEqual(a, TLanes.Create(k - 0.5)), ScaledErfc(k, u), scaled);
            }

            TLanes erf = TLanes.WithSignOf(TLanes.Create(1.0) - ErfcMiddle(a, scaled), x);
            result = TLanes.ConditionalSelect(TLanes.LessThan(a, TLanes.Create(PolynomialLimit)), erf, result);
        }

        if (first == 0)
        {
            result = TLanes.ConditionalSelect(TLanes.LessThan(a, TLanes.Create(TaylorLimit)), x * ErfOverXNearZero(x * x), result);
        }

        return result;
    }

    // The first and last piece among the lanes: 0 the Taylor piece, 1..6 the unit intervals, 7 saturation (and NaN).
    private static (int First, int Last) Pieces<TLanes>(TLanes a)
        where TLanes : struct, ILanes<TLanes>
    {
        int first = 7;
        int last = 0;
        for (int lane = 0; lane < TLanes.Count; lane++)
        {
            double value = a[lane];
            int piece = value < TaylorLimit ? 0 : value < PolynomialLimit ? (int)(value + 0.5) : 7;
            first = Math.Min(first, piece);
            last = Math.Max(last, piece);
        }

        return (first, last);
    }

    // +-1 beyond the polynomials, NaN for NaN (SpecialFunctions.Erf: x > 0 ? 1 : x < 0 ? -1 : x).
    private static TLanes Saturated<TLanes>(TLanes x)
        where TLanes : struct, ILanes<TLanes> =>
        TLanes.ConditionalSelect(
            TLanes.GreaterThan(x, TLanes.Zero),
            TLanes.Create(1.0),
            TLanes.ConditionalSelect(TLanes.LessThan(x, TLanes.Zero), TLanes.Create(-1.0), x));

    // exp(-a^2) R with a^2's rounding compensated by Dekker's exact product (SpecialFunctions.ErfcMiddle).
    private static TLanes ErfcMiddle<TLanes>(TLanes a, TLanes r)
        where TLanes : struct, ILanes<TLanes>
    {
        TLanes s = a * a;
        TLanes t = TLanes.Create(134217729.0) * a;
        TLanes high = t - (t - a);
        TLanes low = a - high;
        TLanes e = ((high * high) - s) + (TLanes.Create(2.0) * high * low) + (low * low);
        return LaneExp.Exp(-s) * (r - (r * e));
    }
}
