using System;
using System.Collections.Generic;

namespace FieldTheory.Generators.Symbolic
{
    internal static class ExprTraversal
    {
        /// <summary>Direct sub-expressions, including a conditional's comparison operands.</summary>
        public static IEnumerable<Expr> Children(Expr e) => e switch
        {
            Constant or Variable => Array.Empty<Expr>(),
            Sum s => s.Terms,
            Product p => p.Factors,
            Power p => new[] { p.Base, p.Exponent },
            Call c => new[] { c.Argument },
            Conditional c => new[] { c.Condition.Left, c.Condition.Right, c.WhenTrue, c.WhenFalse },
            _ => throw new InvalidOperationException("Unknown expression node " + e.GetType().Name),
        };
    }
}
