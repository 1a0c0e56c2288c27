using System;
using System.Linq;

namespace FieldTheory.Generators.Symbolic
{
    internal enum FamilyKind
    {
        General,
        Linear,
        Polynomial,
        ReluLike,
        Erf,
    }

    /// <summary>
    /// Recognises nonlinearities whose Gaussian expectations have closed forms (DESIGN.md 3.4): polynomials (linear as
    /// a special case), ReLU-like piecewise-linear functions with one kink at 0, and affine images of erf(b h).
    /// </summary>
    internal static class FamilyRecognizer
    {
        private static readonly double[] Probes = { 0.125, 0.5, 1.0, 1.7, 3.25, 10.0 };

        public static (FamilyKind Kind, double[] Parameters) Recognize(Expr phi, SmoothnessClass smoothness, double[] kinks)
        {
            double[]? polynomial = Polynomial.TryExpand(phi);
            if (polynomial is not null)
            {
                return polynomial.Length <= 2
                    ? (FamilyKind.Linear, new[] { polynomial[0], polynomial.Length > 1 ? polynomial[1] : 0.0 })
                    : (FamilyKind.Polynomial, polynomial);
            }

            if (smoothness == SmoothnessClass.Piecewise && kinks.Length == 1 && kinks[0] == 0.0 && TryReluLike(phi, out double[] slopes))
            {
                return (FamilyKind.ReluLike, slopes);
            }

            if (TryErf(phi, out double[] erf))
            {
                return (FamilyKind.Erf, erf);
            }

            return (FamilyKind.General, Array.Empty<double>());
        }

        // phi(h) = a h (h < 0), b h (h > 0).
        private static bool TryReluLike(Expr phi, out double[] slopes)
        {
            double a = -Evaluator.Evaluate(phi, -1.0);
            double b = Evaluator.Evaluate(phi, 1.0);
            slopes = new[] { a, b };
            if (Evaluator.Evaluate(phi, 0.0) != 0.0)
            {
                return false;
            }

            return Probes.All(x =>
                Close(Evaluator.Evaluate(phi, x), b * x) && Close(Evaluator.Evaluate(phi, -x), -a * x));
        }

        private static bool Close(double actual, double expected) =>
            Math.Abs(actual - expected) <= 1e-12 * Math.Max(1.0, Math.Abs(expected));

        // phi(h) = a erf(b h) + c, matched on the canonical form.
        private static bool TryErf(Expr phi, out double[] parameters)
        {
            parameters = Array.Empty<double>();
            double offset = 0.0;
            Expr rest = phi;
            if (rest is Sum { Terms.Count: 2 } sum && sum.Terms[0] is Constant c)
            {
                offset = c.Value;
                rest = sum.Terms[1];
            }

            double amplitude = 1.0;
            if (rest is Product { Factors.Count: 2 } product && product.Factors[0] is Constant a)
            {
                amplitude = a.Value;
                rest = product.Factors[1];
            }

            if (rest is not Call { Function: MathFunction.Erf } erf)
            {
                return false;
            }

            double[]? argument = Polynomial.TryExpand(erf.Argument);
            if (argument is null || argument.Length != 2 || argument[0] != 0.0)
            {
                return false;
            }

            parameters = new[] { amplitude, argument[1], offset };
            return true;
        }
    }
}
