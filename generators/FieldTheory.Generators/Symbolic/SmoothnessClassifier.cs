using System;
using System.Collections.Generic;
using System.Linq;

namespace FieldTheory.Generators.Symbolic
{
    internal enum SmoothnessClass
    {
        Smooth,
        Piecewise,
        Discontinuous,
    }

    /// <summary>
    /// Finds the kinks of a piecewise nonlinearity (DESIGN.md 4.6): the points where the condition of a conditional
    /// changes sign, kept only where phi or one of its first three derivatives actually jumps there.
    /// </summary>
    internal static class SmoothnessClassifier
    {
        private const double ScanLimit = 20.0;
        private const int ScanPoints = 4001;

        /// <summary>The class, the kinks (every point where phi or a derivative jumps) and the jumps of phi itself.</summary>
        public static (SmoothnessClass Class, double[] Kinks, double[] Jumps) Classify(Expr phi, IReadOnlyList<Expr> derivatives)
        {
            var candidates = new List<double>();
            foreach (Condition condition in Conditions(phi))
            {
                Expr difference = Simplifier.Simplify(ExprFactory.Sub(condition.Left, condition.Right));
                candidates.AddRange(Roots(difference));
            }

            var kinks = new List<double>();
            var jumps = new List<double>();
            foreach (double k in candidates.Where(x => !double.IsNaN(x) && !double.IsInfinity(x)).Distinct().OrderBy(x => x))
            {
                if (kinks.Count > 0 && Math.Abs(kinks[kinks.Count - 1] - k) <= 1e-12 * Math.Max(1.0, Math.Abs(k)))
                {
                    continue;
                }

                if (Jumps(phi, k))
                {
                    jumps.Add(k);
                    kinks.Add(k);
                }
                else if (derivatives.Any(d => Jumps(d, k)))
                {
                    kinks.Add(k);
                }
            }

            SmoothnessClass cls = jumps.Count > 0 ? SmoothnessClass.Discontinuous
                : kinks.Count > 0 ? SmoothnessClass.Piecewise
                : SmoothnessClass.Smooth;
            return (cls, kinks.ToArray(), jumps.ToArray());
        }

        private static bool Jumps(Expr f, double k)
        {
            double delta = 1e-9 * Math.Max(1.0, Math.Abs(k));
            double left = Evaluator.Evaluate(f, k - delta);
            double right = Evaluator.Evaluate(f, k + delta);
            return Math.Abs(right - left) > 1e-6 * (1.0 + Math.Max(Math.Abs(left), Math.Abs(right)));
        }

        /// <summary>Zeros of a function of h: exact for linear and quadratic conditions, by scan and bisection otherwise.</summary>
        private static IEnumerable<double> Roots(Expr f)
        {
            double[]? polynomial = Polynomial.TryExpand(f);
            if (polynomial is not null && polynomial.Length <= 3)
            {
                return Polynomial.RealRoots(polynomial) ?? Array.Empty<double>();
            }

            var roots = new List<double>();
            double step = 2 * ScanLimit / (ScanPoints - 1);
            double previousX = -ScanLimit;
            double previous = Evaluator.Evaluate(f, previousX);
            for (int i = 1; i < ScanPoints; i++)
            {
                double x = -ScanLimit + (i * step);
                double value = Evaluator.Evaluate(f, x);
                if (value == 0.0)
                {
                    roots.Add(x);
                }
                else if (previous != 0.0 && Math.Sign(previous) != Math.Sign(value) && !double.IsNaN(previous) && !double.IsNaN(value))
                {
                    roots.Add(Bisect(f, previousX, x, previous));
                }

                previousX = x;
                previous = value;
            }

            return roots;
        }

        private static double Bisect(Expr f, double a, double b, double fa)
        {
            for (int i = 0; i < 200 && b - a > 1e-15 * Math.Max(1.0, Math.Abs(a)); i++)
            {
                double m = 0.5 * (a + b);
                double fm = Evaluator.Evaluate(f, m);
                if (fm == 0.0)
                {
                    return m;
                }

                if (Math.Sign(fm) == Math.Sign(fa))
                {
                    a = m;
                    fa = fm;
                }
                else
                {
                    b = m;
                }
            }

            return 0.5 * (a + b);
        }

        private static IEnumerable<Condition> Conditions(Expr e)
        {
            switch (e)
            {
                case Conditional c:
                    yield return c.Condition;
                    foreach (Expr child in new[] { c.Condition.Left, c.Condition.Right, c.WhenTrue, c.WhenFalse })
                    {
                        foreach (Condition inner in Conditions(child))
                        {
                            yield return inner;
                        }
                    }

                    break;
                default:
                    foreach (Expr child in ExprTraversal.Children(e))
                    {
                        foreach (Condition inner in Conditions(child))
                        {
                            yield return inner;
                        }
                    }

                    break;
            }
        }
    }
}
