using System;
using System.Globalization;

namespace FieldTheory.Generators.Symbolic
{
    /// <summary>Readable formulas for people: <c>1 - tanh(h)^2</c>, <c>h &gt;= 0 ? h : 0</c>.</summary>
    internal sealed class FormulaPrinter : ExprWriter
    {
        private static readonly FormulaPrinter Instance = new FormulaPrinter();

        public static string Print(Expr e) => Instance.Write(e);

        protected override string? Reference(Expr e) => null;

        protected override string Number(double value) => FormatNumber(value);

        public static string FormatNumber(double value) =>
            double.IsNaN(value) ? "NaN"
            : double.IsPositiveInfinity(value) ? "Infinity"
            : double.IsNegativeInfinity(value) ? "-Infinity"
            : value.ToString("R", CultureInfo.InvariantCulture);

        protected override string CallText(MathFunction function, string argument) =>
            function.ToString().ToLowerInvariant() + "(" + argument + ")";

        protected override (string Text, int Precedence) PowerText(Expr b, double exponent, Func<Expr, int, string> writeBase) =>
            exponent == 0.5
                ? ("sqrt(" + writeBase(b, 0) + ")", AtomPrecedence)
                : (writeBase(b, AtomPrecedence) + "^" + FormatNumber(exponent), AtomPrecedence - 1);

        protected override string ComparisonText(ComparisonOperator op) => op switch
        {
            ComparisonOperator.Greater => ">",
            ComparisonOperator.GreaterOrEqual => ">=",
            ComparisonOperator.Less => "<",
            _ => "<=",
        };
    }
}
