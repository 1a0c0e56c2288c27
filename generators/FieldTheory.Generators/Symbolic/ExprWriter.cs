using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace FieldTheory.Generators.Symbolic
{
    /// <summary>
    /// Writes an expression as infix text with the fewest parentheses: sums with "-" for negative terms, products
    /// with negative powers moved into a denominator. Subclasses choose the notation of numbers, calls and powers
    /// (readable formulas in <see cref="FormulaPrinter"/>, C# in the emitter) and may replace sub-expressions by names.
    /// </summary>
    internal abstract class ExprWriter
    {
        protected const int SumPrecedence = 1;
        protected const int ProductPrecedence = 2;
        protected const int UnaryPrecedence = 3;
        protected const int AtomPrecedence = 5;
        private const int ConditionalPrecedence = 0;

        public string Write(Expr e) => Write(e, ConditionalPrecedence);

        /// <summary>A name that stands for the whole sub-expression (the variable, a temporary), or null.</summary>
        protected abstract string? Reference(Expr e);

        protected abstract string Number(double value);

        protected abstract string CallText(MathFunction function, string argument);

        /// <summary>b^n for n not -1; <paramref name="writeBase"/> writes the base at a given minimum precedence.</summary>
        protected abstract (string Text, int Precedence) PowerText(Expr b, double exponent, Func<Expr, int, string> writeBase);

        protected abstract string ComparisonText(ComparisonOperator op);

        protected string Write(Expr e, int minPrecedence)
        {
            (string text, int precedence) = WriteWithPrecedence(e);
            return precedence < minPrecedence ? "(" + text + ")" : text;
        }

        protected (string Text, int Precedence) WriteWithPrecedence(Expr e)
        {
            string? name = Reference(e);
            if (name is not null)
            {
                return (name, AtomPrecedence);
            }

            return WriteStructure(e);
        }

        /// <summary>Writes the node itself (never its own reference), with references for its children.</summary>
        protected (string Text, int Precedence) WriteStructure(Expr e)
        {
            switch (e)
            {
                case Constant c:
                    return c.Value < 0 ? (Number(c.Value), UnaryPrecedence) : (Number(c.Value), AtomPrecedence);
                case Variable:
                    return ("h", AtomPrecedence);
                case Call c:
                    return (CallText(c.Function, Write(c.Argument, ConditionalPrecedence)), AtomPrecedence);
                case Power { Exponent: Constant n } p:
                    return n.Value < 0 ? WriteProduct(new[] { e }) : PowerText(p.Base, n.Value, Write);
                case Power p:
                    return (CallText(MathFunction.Exp, Write(ExprFactory.Mul(p.Exponent, ExprFactory.Fn(MathFunction.Log, p.Base)), 0)), AtomPrecedence);
                case Product p:
                    return WriteProduct(p.Factors);
                case Sum s:
                    return WriteSum(s.Terms);
                case Conditional c:
                    return ConditionalText(c);
                default:
                    throw new InvalidOperationException("Unknown expression node " + e.GetType().Name);
            }
        }

        /// <summary><c>Condition ? WhenTrue : WhenFalse</c> in this notation (C#'s by default).</summary>
        protected virtual (string Text, int Precedence) ConditionalText(Conditional c)
        {
            string condition = Write(c.Condition.Left, SumPrecedence) + " " + ComparisonText(c.Condition.Operator) + " " + Write(c.Condition.Right, SumPrecedence);
            return (condition + " ? " + Write(c.WhenTrue, SumPrecedence) + " : " + Write(c.WhenFalse, SumPrecedence), ConditionalPrecedence);
        }

        private (string, int) WriteSum(IReadOnlyList<Expr> terms)
        {
            var text = new StringBuilder();
            for (int i = 0; i < terms.Count; i++)
            {
                (bool negative, Expr magnitude) = SplitSign(terms[i]);
                if (i == 0)
                {
                    text.Append(negative ? "-" + Write(magnitude, ProductPrecedence) : Write(terms[i], SumPrecedence));
                }
                else
                {
                    text.Append(negative ? " - " : " + ").Append(Write(magnitude, ProductPrecedence));
                }
            }

            return (text.ToString(), SumPrecedence);
        }

        private (string, int) WriteProduct(IReadOnlyList<Expr> factors)
        {
            double coefficient = 1.0;
            var numerator = new List<Expr>();
            var denominator = new List<Expr>();
            foreach (Expr f in factors)
            {
                if (f is Constant c)
                {
                    coefficient *= c.Value;
                }
                else if (Reference(f) is null && f is Power { Exponent: Constant n } p && n.Value < 0)
                {
                    denominator.Add(n.Value == -1.0 ? p.Base : new Power(p.Base, new Constant(-n.Value)));
                }
                else
                {
                    numerator.Add(f);
                }
            }

            string sign = coefficient < 0 ? "-" : string.Empty;
            double magnitude = Math.Abs(coefficient);
            var parts = new List<string>();
            if (magnitude != 1.0 || numerator.Count == 0)
            {
                parts.Add(Number(magnitude));
            }

            parts.AddRange(numerator.Select(f => Write(f, ProductPrecedence + 1)));
            string text = string.Join(" * ", parts);
            if (denominator.Count > 0)
            {
                string under = denominator.Count == 1
                    ? Write(denominator[0], ProductPrecedence + 1)
                    : "(" + string.Join(" * ", denominator.Select(f => Write(f, ProductPrecedence + 1))) + ")";
                text += " / " + under;
            }

            return sign.Length > 0 ? (sign + text, UnaryPrecedence) : (text, ProductPrecedence);
        }

        /// <summary>Splits -c x into (true, c x) and -c into (true, c); anything else is positive.</summary>
        private (bool Negative, Expr Magnitude) SplitSign(Expr term)
        {
            if (Reference(term) is not null)
            {
                return (false, term);
            }

            if (term is Constant c && c.Value < 0)
            {
                return (true, new Constant(-c.Value));
            }

            if (term is Product p && p.Factors[0] is Constant k && k.Value < 0)
            {
                Expr[] rest = p.Factors.Skip(1).ToArray();
                Expr magnitude = k.Value == -1.0
                    ? (rest.Length == 1 ? rest[0] : ExprFactory.Mul(rest))
                    : ExprFactory.Mul(new[] { new Constant(-k.Value) }.Concat(rest));
                return (true, magnitude);
            }

            return (false, term);
        }
    }
}
