using System;
using System.Collections.Generic;
using FieldTheory.Generators.Symbolic;

namespace FieldTheory.Generators.Emitting
{
    /// <summary>
    /// Writes IR as C# on SIMD lanes of a type parameter <c>TLanes : ILanes&lt;TLanes&gt;</c>: the operators of
    /// <see cref="CSharpExprWriter"/>'s output, constants broadcast with <c>TLanes.Create</c>, functions from
    /// <c>FieldTheory.Compute.LaneMath</c>, and a conditional as a lane select of both branches, which evaluates the
    /// branch not taken too (harmless: a NaN or infinity there is discarded, as the scalar code never computes it).
    /// Products, sums and their order are those of the scalar code, so a formula made of arithmetic and conditionals
    /// gives the scalar result bit for bit in every lane.
    /// </summary>
    internal sealed class LaneExprWriter : ExprWriter
    {
        private const string LaneMath = "global::FieldTheory.Compute.LaneMath.";
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

        protected override string Number(double value) => "TLanes.Create(" + CSharpExprWriter.Literal(value) + ")";

        protected override string CallText(MathFunction function, string argument) => LaneMath + function + "(" + argument + ")";

        protected override (string Text, int Precedence) PowerText(Expr b, double exponent, Func<Expr, int, string> writeBase)
        {
            if (exponent == 0.5)
            {
                return (LaneMath + "Sqrt(" + writeBase(b, 0) + ")", AtomPrecedence);
            }

            string? name = Reference(b);
            if (name is not null && CommonSubexpressions.IsSmallInteger(exponent) && exponent > 0)
            {
                return (string.Join(" * ", System.Linq.Enumerable.Repeat(name, (int)exponent)), ProductPrecedence);
            }

            return (LaneMath + "Pow(" + writeBase(b, 0) + ", " + CSharpExprWriter.Literal(exponent) + ")", AtomPrecedence);
        }

        protected override string ComparisonText(ComparisonOperator op) => op switch
        {
            ComparisonOperator.Greater => "GreaterThan",
            ComparisonOperator.GreaterOrEqual => "GreaterThanOrEqual",
            ComparisonOperator.Less => "LessThan",
            _ => "LessThanOrEqual",
        };

        protected override (string Text, int Precedence) ConditionalText(Conditional c)
        {
            string mask = "TLanes." + ComparisonText(c.Condition.Operator) + "(" + Write(c.Condition.Left, 0) + ", " + Write(c.Condition.Right, 0) + ")";
            return ("TLanes.ConditionalSelect(" + mask + ", " + Write(c.WhenTrue, 0) + ", " + Write(c.WhenFalse, 0) + ")", AtomPrecedence);
        }
    }
}
