using System.Globalization;
using FieldTheory.Generators.Symbolic;

namespace FieldTheory.Generators.Emitting
{
    /// <summary>
    /// Writes IR as C# on doubles: invariant round-trip literals, fully qualified calls, and the temporaries and
    /// powers of <see cref="CodeExprWriter"/>.
    /// </summary>
    internal sealed class CSharpExprWriter : CodeExprWriter
    {
        protected override string Number(double value) => Literal(value);

        public static string Literal(double value)
        {
            if (double.IsNaN(value))
            {
                return "double.NaN";
            }

            if (double.IsInfinity(value))
            {
                return value > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
            }

            string text = value.ToString("R", CultureInfo.InvariantCulture);
            return text.IndexOf('.') >= 0 || text.IndexOf('E') >= 0 ? text : text + ".0";
        }

        protected override string CallText(MathFunction function, string argument) => function == MathFunction.Erf
            ? "global::FieldTheory.SpecialFunctions.Erf(" + argument + ")"
            : "global::System.Math." + function + "(" + argument + ")";

        protected override string SqrtText(string argument) => "global::System.Math.Sqrt(" + argument + ")";

        protected override string PowText(string b, string exponent) => "global::System.Math.Pow(" + b + ", " + exponent + ")";

        protected override string ComparisonText(ComparisonOperator op) => op switch
        {
            ComparisonOperator.Greater => ">",
            ComparisonOperator.GreaterOrEqual => ">=",
            ComparisonOperator.Less => "<",
            _ => "<=",
        };
    }
}
