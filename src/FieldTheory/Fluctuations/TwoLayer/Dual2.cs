namespace FieldTheory.Fluctuations.TwoLayer;

/// <summary>
/// A number with its first and second derivative along one direction, x(eps) = V + D eps + DD eps^2 / 2: forward-mode
/// arithmetic for the second-order tangents of the O(1/N) mean shift (DESIGN.md 4.3).
/// </summary>
internal readonly record struct Dual2(double V, double D, double DD)
{
    public static Dual2 Constant(double v) => new(v, 0.0, 0.0);

    public static Dual2 operator +(Dual2 a, Dual2 b) => new(a.V + b.V, a.D + b.D, a.DD + b.DD);

    public static Dual2 operator -(Dual2 a, Dual2 b) => new(a.V - b.V, a.D - b.D, a.DD - b.DD);

    public static Dual2 operator *(Dual2 a, Dual2 b) => new(a.V * b.V, (a.D * b.V) + (a.V * b.D), (a.DD * b.V) + (2.0 * a.D * b.D) + (a.V * b.DD));

    public static Dual2 operator *(double s, Dual2 a) => new(s * a.V, s * a.D, s * a.DD);

    /// <summary>g(x) from g's value and first two derivatives at x.V (the chain rule to second order).</summary>
    public Dual2 Through(double g, double g1, double g2) => new(g, g1 * D, (g2 * D * D) + (g1 * DD));
}
