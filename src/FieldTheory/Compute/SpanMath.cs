using System.Numerics;
using System.Runtime.InteropServices;

namespace FieldTheory.Compute;

/// <summary>
/// SIMD loops over spans of doubles (<see cref="Vector{T}"/> wide, then a scalar tail) for the dense linear algebra of
/// the propagators: the JIT does not vectorise plain loops.
/// </summary>
internal static class SpanMath
{
    /// <summary>y += a x.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"lengths differ: {x.Length} and {y.Length}", nameof(x));
        }

        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<double>(a);
            ReadOnlySpan<Vector<double>> xs = MemoryMarshal.Cast<double, Vector<double>>(x);
            Span<Vector<double>> ys = MemoryMarshal.Cast<double, Vector<double>>(y);
            for (int v = 0; v < ys.Length; v++)
            {
                ys[v] = Vector.FusedMultiplyAdd(scale, xs[v], ys[v]);
            }

            k = ys.Length * Vector<double>.Count;
        }

        for (; k < y.Length; k++)
        {
            y[k] = Math.FusedMultiplyAdd(a, x[k], y[k]);
        }
    }

    /// <summary>
    /// y += a x with a multiply, then an add, per element (no fused multiply-add): the same rounding as the plain scalar
    /// loop, for sums that must not change when they are vectorised.
    /// </summary>
    public static void AddScaled(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int width = Vector<double>.Count, k = 0;
        var scale = new Vector<double>(a);
        for (; k <= y.Length - width; k += width)
        {
            (new Vector<double>(y[k..]) + (scale * new Vector<double>(x[k..]))).CopyTo(y[k..]);
        }

        for (; k < y.Length; k++)
        {
            y[k] += a * x[k];
        }
    }

    /// <summary>x . y (lane partial sums added in lane order, then the tail).</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"lengths differ: {x.Length} and {y.Length}", nameof(x));
        }

        int k = 0;
        double sum = 0.0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<double> partial = Vector<double>.Zero;
            ReadOnlySpan<Vector<double>> xs = MemoryMarshal.Cast<double, Vector<double>>(x);
            ReadOnlySpan<Vector<double>> ys = MemoryMarshal.Cast<double, Vector<double>>(y);
            for (int v = 0; v < xs.Length; v++)
            {
                partial = Vector.FusedMultiplyAdd(xs[v], ys[v], partial);
            }

            sum = Vector.Sum(partial);
            k = xs.Length * Vector<double>.Count;
        }

        for (; k < x.Length; k++)
        {
            sum = Math.FusedMultiplyAdd(x[k], y[k], sum);
        }

        return sum;
    }
}
