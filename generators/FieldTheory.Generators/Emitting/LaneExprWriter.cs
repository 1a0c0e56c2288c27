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
    internal sealed class LaneExprWriter : CodeExprWriter
    {
        private const string LaneMath = "global::FieldTheory.Compute.LaneMath.";

        protected override string Number(double value) => "TLanes.Create(" + CSharpExprWriter.Literal(value) + ")";

        protected override string CallText(MathFunction function, string argument) => LaneMath + function + "(" + argument + ")";

        protected override string SqrtText(string argument) => LaneMath + "Sqrt(" + argument + ")";

        protected override string PowText(string b, string exponent) => LaneMath + "Pow(" + b + ", " + exponent + ")";

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
