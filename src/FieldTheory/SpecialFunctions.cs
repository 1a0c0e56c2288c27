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
static class SpecialFunctions
{
    private const double TwoOverSqrtPi = 1.1283791670955126;
    private const double OneOverSqrtPi = 0.5641895835477563;
    private const double SeriesLimit = 2.5;

    /// <summary>The error function erf(x) = 2/sqrt(pi) int_0^x exp(-t^2) dt, to about 1e-15 relative.</summary>
    public static double Erf(double x)
    {
        double a = Math.Abs(x);
        if (a < SeriesLimit)
        {
            return ErfSeries(x);
        }

        double r = 1.0 - ErfcContinuedFraction(a);
        return x < 0 ? -r : r;
    }

    /// <summary>The complementary error function erfc(x) = 1 - erf(x), to about 1e-13 relative below x = 2.5 and 1e-15 in the tail.</summary>
    public static double Erfc(double x)
    {
        if (Math.Abs(x) < SeriesLimit)
        {
            return 1.0 - ErfSeries(x);
        }

        double tail = ErfcContinuedFraction(Math.Abs(x));
        return x > 0 ? tail : 2.0 - tail;
    }

    // erf(x) = 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1 3 5 ... (2n+1)): all terms positive, no cancellation.
    private static double ErfSeries(double x)
    {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 0; n < 200; n++)
        {
            term *= 2.0 * x2 / (2 * n + 3);
            sum += term;
            if (Math.Abs(term) <= 1e-17 * Math.Abs(sum))
            {
                break;
            }
        }

        return TwoOverSqrtPi * Math.Exp(-x2) * sum;
    }

    // erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) for x > 0, evaluated bottom-up as a
    // ratio t = p/q: t_k = x + (k/2) / t_(k+1) is p <- x p + (k/2) q, q <- p, so one division at the end instead of
    // one per level (all terms positive: no cancellation). Rescaled when p grows large.
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
