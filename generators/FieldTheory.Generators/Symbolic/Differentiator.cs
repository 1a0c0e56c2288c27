using System;
using System.Linq;
using static FieldTheory.Generators.Symbolic.ExprFactory;

namespace FieldTheory.Generators.Symbolic
{
    /// <summary>
    /// Symbolic d/dh with the chain, product and power rules. Piecewise functions are differentiated branch by branch
    /// (the derivative almost everywhere); the kinks themselves are found by <see cref="SmoothnessClassifier"/>.
    /// The result is simplified.
    /// </summary>
    internal static class Differentiator
    {
        public static Expr Differentiate(Expr e) => Simplifier.Simplify(Raw(e));

        private static Expr Raw(Expr e)
        {
            switch (e)
            {
                case Constant:
                    return Expr.Zero;
                case Variable:
                    return Expr.One;
                case Sum s:
                    return Add(s.Terms.Select(Raw));
                case Product p:
                    // (f1 f2 ... fn)' = sum_i f1 ... fi' ... fn
                    return Add(Enumerable.Range(0, p.Factors.Count).Select(i =>
                        Mul(p.Factors.Select((f, j) => j == i ? Raw(f) : f))));
                case Power { Exponent: Constant n } p:
                    // (b^n)' = n b^(n-1) b'
                    return Mul(Num(n.Value), Pow(p.Base, n.Value - 1.0), Raw(p.Base));
                case Power p:
                    // (b^e)' = b^e (e' log b + e b'/b)
                    return Mul(p, Add(Mul(Raw(p.Exponent), Fn(MathFunction.Log, p.Base)), Mul(p.Exponent, Raw(p.Base), Pow(p.Base, -1))));
                case Call c:
                    return Mul(Outer(c), Raw(c.Argument));
                case Conditional c:
                    return new Conditional(c.Condition, Raw(c.WhenTrue), Raw(c.WhenFalse));
                default:
                    throw new InvalidOperationException("Unknown expression node " + e.GetType().Name);
            }
        }

        /// <summary>The derivative of the function itself, at the call's argument.</summary>
        private static Expr Outer(Call c)
        {
            Expr u = c.Argument;
            return c.Function switch
            {
                MathFunction.Exp => c,
                MathFunction.Log => Pow(u, -1),
                MathFunction.Sqrt => Mul(Num(0.5), Pow(c, -1)),
                MathFunction.Tanh => Sub(Expr.One, Pow(c, 2)),
                MathFunction.Sinh => Fn(MathFunction.Cosh, u),
                MathFunction.Cosh => Fn(MathFunction.Sinh, u),
                MathFunction.Sin => Fn(MathFunction.Cos, u),
                MathFunction.Cos => Neg(Fn(MathFunction.Sin, u)),
                MathFunction.Atan => Pow(Add(Expr.One, Pow(u, 2)), -1),
                // erf'(u) = 2/sqrt(pi) exp(-u^2)
                MathFunction.Erf => Mul(Num(1.1283791670955126), Fn(MathFunction.Exp, Neg(Pow(u, 2)))),
                _ => throw new InvalidOperationException("Unknown function " + c.Function),
            };
        }
    }
}
