using System.Collections.Generic;
using FieldTheory.Generators.Specs;

namespace FieldTheory.Generators.Symbolic
{
    /// <summary>Builders that produce raw (unsimplified) IR; <see cref="Simplifier"/> canonicalises it.</summary>
    internal static class ExprFactory
    {
        public static Expr Num(double value) => new Constant(value);

        public static Expr Add(params Expr[] terms) => new Sum(new EquatableArray<Expr>(terms));

        public static Expr Add(IEnumerable<Expr> terms) => new Sum(new EquatableArray<Expr>(terms));

        public static Expr Mul(params Expr[] factors) => new Product(new EquatableArray<Expr>(factors));

        public static Expr Mul(IEnumerable<Expr> factors) => new Product(new EquatableArray<Expr>(factors));

        public static Expr Neg(Expr e) => Mul(Expr.MinusOne, e);

        public static Expr Sub(Expr a, Expr b) => Add(a, Neg(b));

        public static Expr Div(Expr a, Expr b) => Mul(a, Pow(b, -1));

        public static Expr Pow(Expr b, double exponent) => new Power(b, new Constant(exponent));

        public static Expr Fn(MathFunction function, Expr argument) => new Call(function, argument);

        public static Expr If(Expr left, ComparisonOperator op, Expr right, Expr whenTrue, Expr whenFalse) =>
            new Conditional(new Condition(left, op, right), whenTrue, whenFalse);
    }
}
