using System.Numerics;

namespace FieldTheory.Fluctuations.DeepNonlinear;

/// <summary>Vectorised span kernels of the site sums.</summary>
internal static class SpanMath
{
    /// <summary>y += a x, SIMD over the span; each element gets the same multiply-then-add as the scalar loop.</summary>
    public static void AddScaled(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int width = Vector<double>.Count, k = 0;
        var scale = new Vector<double>(a);
        for (; k <= y.Length - width; k += width)
        {
            (new Vector<double>(y[k..]) + scale * new Vector<double>(x[k..])).CopyTo(y[k..]);
        }

        for (; k < y.Length; k++)
        {
            y[k] += a * x[k];
        }
    }
}
