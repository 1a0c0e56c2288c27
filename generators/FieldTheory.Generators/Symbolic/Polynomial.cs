using System;
using System.Collections.Generic;
using System.Linq;

namespace FieldTheory.Generators.Symbolic
{
    /// <summary>Expands an expression into polynomial coefficients in h, when it is a polynomial.</summary>
    internal static class Polynomial
    {
        public const int MaxDegree = 32;

        /// <summary>Coefficients c0..c_degree (trailing zeros trimmed, at least one entry), or null if not a polynomial.</summary>
        public static double[]? TryExpand(Expr e)
        {
            double[]? result = Expand(e);
            if (result is null)
            {
                return null;
            }

            int length = result.Length;
            while (length > 1 && result[length - 1] == 0.0)
            {
                length--;
            }

            return result.Take(length).ToArray();
        }

        private static double[]? Expand(Expr e)
        {
            switch (e)
            {
                case Constant c:
                    return new[] { c.Value };
                case Variable:
                    return new[] { 0.0, 1.0 };
                case Sum s:
                {
                    double[] acc = { 0.0 };
                    foreach (Expr term in s.Terms)
                    {
                        double[]? t = Expand(term);
                        if (t is null)
                        {
                            return null;
                        }

                        acc = Add(acc, t);
                    }

                    return acc;
                }

                case Product p:
                {
                    double[] acc = { 1.0 };
                    foreach (Expr factor in p.Factors)
                    {
                        double[]? f = Expand(factor);
                        if (f is null || (acc = Multiply(acc, f)).Length > MaxDegree + 1)
                        {
                            return null;
                        }
                    }

                    return acc;
                }

                case Power { Exponent: Constant n } p when n.Value >= 0 && n.Value <= MaxDegree && Simplifier.IsInteger(n.Value):
                {
                    double[]? b = Expand(p.Base);
                    if (b is null)
                    {
                        return null;
                    }

                    double[] acc = { 1.0 };
                    for (int i = 0; i < (int)n.Value; i++)
                    {
                        acc = Multiply(acc, b);
                        if (acc.Length > MaxDegree + 1)
                        {
                            return null;
                        }
                    }

                    return acc;
                }

                default:
                    return null;
            }
        }

        private static double[] Add(double[] a, double[] b)
        {
            var r = new double[Math.Max(a.Length, b.Length)];
            for (int i = 0; i < r.Length; i++)
            {
                r[i] = (i < a.Length ? a[i] : 0.0) + (i < b.Length ? b[i] : 0.0);
            }

            return r;
        }

        private static double[] Multiply(double[] a, double[] b)
        {
            var r = new double[a.Length + b.Length - 1];
            for (int i = 0; i < a.Length; i++)
            {
                for (int j = 0; j < b.Length; j++)
                {
                    r[i + j] += a[i] * b[j];
                }
            }

            return r;
        }

        /// <summary>Real roots of a polynomial of degree 1 or 2, or null for other degrees.</summary>
        public static IReadOnlyList<double>? RealRoots(double[] c)
        {
            if (c.Length == 2)
            {
                return new[] { -c[0] / c[1] };
            }

            if (c.Length == 3)
            {
                double disc = (c[1] * c[1]) - (4 * c[2] * c[0]);
                if (disc < 0)
                {
                    return Array.Empty<double>();
                }

                // Numerically stable form: q = -(b + sign(b) sqrt(disc)) / 2, roots q/a and c/q.
                double q = -0.5 * (c[1] + (c[1] >= 0 ? 1 : -1) * Math.Sqrt(disc));
                return q == 0.0 ? new[] { 0.0 } : new[] { q / c[2], c[0] / q };
            }

            return null;
        }
    }
}
