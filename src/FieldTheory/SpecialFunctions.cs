using System;

// This file is compiled twice: into the runtime (public FieldTheory.SpecialFunctions, callable from activations and
// kernels) and into the generator (internal, for constant folding and analysis), so both agree to the last bit.
#if FIELDTHEORY_GENERATOR
namespace FieldTheory.Generators.Symbolic
#else
namespace FieldTheory
#endif
{
/// <summary>
/// Special functions that activation declarations may call. Written with plain arithmetic, loops and
/// <see cref="Math.Exp"/> only, so the same code runs in ILGPU kernels on the CPU and on GPUs.
/// </summary>
#if FIELDTHEORY_GENERATOR
internal
#else
public
#endif
static partial class SpecialFunctions
{
    private const double OneOverSqrtPi = 0.5641895835477563;

    // Below: erf(x) = x P(x^2); from here to PolynomialLimit: erfc(a) = exp(-a^2) R(a) with R a polynomial per unit
    // interval (SpecialFunctions.ErfPolynomials.cs); beyond: erf = +-1 and erfc by its continued fraction.
    private const double TaylorLimit = 0.5;
    private const double PolynomialLimit = 6.5;

    /// <summary>The error function erf(x) = 2/sqrt(pi) int_0^x exp(-t^2) dt, to about 1e-15 relative.</summary>
    public static double Erf(double x)
    {
        double a = Math.Abs(x);
        if (a < TaylorLimit)
        {
            return x * ErfOverXNearZero(x * x);
        }

        if (!(a < PolynomialLimit))
        {
            // erfc(6.5) = 4e-20: erf rounds to +-1 here; NaN fails both tests and stays NaN.
            return x > 0 ? 1.0 : x < 0 ? -1.0 : x;
        }

        double r = 1.0 - ErfcMiddle(a);
        return x < 0 ? -r : r;
    }

    /// <summary>The complementary error function erfc(x) = 1 - erf(x), to about 1e-15 relative (1e-13 far in the tail).</summary>
    public static double Erfc(double x)
    {
        double a = Math.Abs(x);
        if (a < TaylorLimit)
        {
            return 1.0 - (x * ErfOverXNearZero(x * x));
        }

        double tail = a < PolynomialLimit ? ErfcMiddle(a) : ErfcContinuedFraction(a);
        return x > 0 ? tail : 2.0 - tail;
    }

    // erfc(a) = exp(-a^2) R(a) for TaylorLimit <= a < PolynomialLimit. a^2 is not a double: with s = fl(a^2) and
    // e = a^2 - s exactly (Dekker's product, no FMA needed), exp(-a^2) = exp(-s) (1 - e) to rounding, which keeps the
    // relative error of erfc at a few ulps instead of a^2 ulps.
    private static double ErfcMiddle(double a)
    {
        const double Split = 134217729.0; // 2^27 + 1: splits a into halves whose products are exact
        double s = a * a;
        double t = Split * a;
        double high = t - (t - a);
        double low = a - high;
        double e = ((high * high) - s) + (2.0 * high * low) + (low * low);
        double r = ScaledErfc(a);
        return Math.Exp(-s) * (r - (r * e));
    }

    // erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) for x > 0, evaluated bottom-up as a
    // ratio t = p/q: t_k = x + (k/2) / t_(k+1) is p <- x p + (k/2) q, q <- p, so one division at the end instead of
    // one per level (all terms positive: no cancellation). Rescaled when p grows large. Used beyond PolynomialLimit,
    // where 90 levels are far more than enough.
    private static double ErfcContinuedFraction(double x)
    {
        if (x > 27.3)
        {
            return 0.0; // below the smallest subnormal double
        }

        double p = x;
        double q = 1.0;
        for (int k = 90; k >= 1; k--)
        {
            double next = (x * p) + (0.5 * k * q);
            q = p;
            p = next;
            if (p > 1e200)
            {
                p *= 1e-200;
                q *= 1e-200;
            }
        }

        return OneOverSqrtPi * Math.Exp(-x * x) * q / p;
    }
}
}
