using System;
using System.Collections.Generic;
using System.Linq;
using FieldTheory.Generators.Symbolic;

namespace FieldTheory.Generators.Emitting
{
    /// <summary>
    /// What the two C# notations share (<see cref="CSharpExprWriter"/> on doubles, <see cref="LaneExprWriter"/> on SIMD
    /// lanes): temporaries chosen by <see cref="CommonSubexpressions"/> referred to by name, h as <c>h</c>, and powers
    /// (sqrt for 1/2, small positive integer powers of a named value as products, otherwise a pow call).
    /// </summary>
    internal abstract class CodeExprWriter : ExprWriter
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

        /// <summary>The square root of <paramref name="argument"/> in this notation.</summary>
        protected abstract string SqrtText(string argument);

        /// <summary><paramref name="b"/> to the power <paramref name="exponent"/> (a C# literal) in this notation.</summary>
        protected abstract string PowText(string b, string exponent);

        protected override (string Text, int Precedence) PowerText(Expr b, double exponent, Func<Expr, int, string> writeBase)
        {
            if (exponent == 0.5)
            {
                return (SqrtText(writeBase(b, 0)), AtomPrecedence);
            }

            string? name = Reference(b);
            if (name is not null && CommonSubexpressions.IsSmallInteger(exponent) && exponent > 0)
            {
                return (string.Join(" * ", Enumerable.Repeat(name, (int)exponent)), ProductPrecedence);
            }

            return (PowText(writeBase(b, 0), CSharpExprWriter.Literal(exponent)), AtomPrecedence);
        }
    }
}
