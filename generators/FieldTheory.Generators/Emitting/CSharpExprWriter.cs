using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FieldTheory.Generators.Symbolic;

namespace FieldTheory.Generators.Emitting
{
    /// <summary>
    /// Writes IR as C#: invariant round-trip literals, fully qualified calls, small integer powers of named values
    /// as products, and references to the temporaries chosen by <see cref="CommonSubexpressions"/>.
    /// </summary>
    internal sealed class CSharpExprWriter : ExprWriter
    {
        private readonly Dictionary<Expr, string> _names = new Dictionary<Expr, string>();

        /// <summary>Declares <paramref name="e"/> as the temporary <paramref name="name"/>; later writes refer to it.</summary>
        public string Define(Expr e, string name)
        {
            string definition = WriteStructure(e).Text;
            _names.Add(e, name);
            return definition;
        }

        protected override string? Reference(Expr e) =>
            e is Variable ? "h" : _names.TryGetValue(e, out string? name) ? name : null;

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

        protected override (string Text, int Precedence) PowerText(Expr b, double exponent, Func<Expr, int, string> writeBase)
        {
            if (exponent == 0.5)
            {
                return ("global::System.Math.Sqrt(" + writeBase(b, 0) + ")", AtomPrecedence);
            }

            string? name = Reference(b);
            if (name is not null && CommonSubexpressions.IsSmallInteger(exponent) && exponent > 0)
            {
                return (string.Join(" * ", Enumerable.Repeat(name, (int)exponent)), ProductPrecedence);
            }

            return ("global::System.Math.Pow(" + writeBase(b, 0) + ", " + Literal(exponent) + ")", AtomPrecedence);
        }

        protected override string ComparisonText(ComparisonOperator op) => op switch
        {
            ComparisonOperator.Greater => ">",
            ComparisonOperator.GreaterOrEqual => ">=",
            ComparisonOperator.Less => "<",
            _ => "<=",
        };
    }
}
