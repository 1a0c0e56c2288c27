using System;
using System.Linq;

namespace FieldTheory.Generators.Symbolic
{
    /// <summary>Evaluates an expression at a point in double precision, with the semantics of the emitted C#.</summary>
    internal static class Evaluator
    {
        public static double Evaluate(Expr e, double h) => e switch
        {
            Constant c => c.Value,
            Variable => h,
            Sum s => s.Terms.Sum(t => Evaluate(t, h)),
            Product p => p.Factors.Aggregate(1.0, (acc, f) => acc * Evaluate(f, h)),
            Power p => Pow(Evaluate(p.Base, h), Evaluate(p.Exponent, h)),
            Call c => Apply(c.Function, Evaluate(c.Argument, h)),
            Conditional c => c.Condition.Evaluate(Evaluate(c.Condition.Left, h), Evaluate(c.Condition.Right, h))
                ? Evaluate(c.WhenTrue, h)
                : Evaluate(c.WhenFalse, h),
            _ => throw new InvalidOperationException("Unknown expression node " + e.GetType().Name),
        };

        private static double Pow(double b, double exponent) => exponent switch
        {
            -1.0 => 1.0 / b,
            0.5 => Math.Sqrt(b),
            2.0 => b * b,
            _ => Math.Pow(b, exponent),
        };

        public static double Apply(MathFunction function, double x) => function switch
        {
            MathFunction.Exp => Math.Exp(x),
            MathFunction.Log => Math.Log(x),
            MathFunction.Sqrt => Math.Sqrt(x),
            MathFunction.Tanh => Math.Tanh(x),
            MathFunction.Sinh => Math.Sinh(x),
            MathFunction.Cosh => Math.Cosh(x),
            MathFunction.Sin => Math.Sin(x),
            MathFunction.Cos => Math.Cos(x),
            MathFunction.Atan => Math.Atan(x),
            MathFunction.Erf => SpecialFunctions.Erf(x),
            _ => throw new InvalidOperationException("Unknown function " + function),
        };
    }
}
