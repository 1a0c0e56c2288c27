using System;
using FieldTheory.Generators.Specs;

namespace FieldTheory.Generators.Symbolic
{
    /// <summary>
    /// The compiler's immutable expression IR for a nonlinearity phi(h) (DESIGN.md 6.2). Records give structural
    /// equality, which the incremental pipeline, the simplifier and common-subexpression elimination all rely on.
    /// Subtraction is a sum with a -1 coefficient and division a product with a -1 power; <c>Abs</c>, <c>Max</c> and
    /// <c>Min</c> are lowered to <see cref="Conditional"/> by the parser.
    /// </summary>
    internal abstract record Expr
    {
        public static readonly Expr Zero = new Constant(0.0);
        public static readonly Expr One = new Constant(1.0);
        public static readonly Expr MinusOne = new Constant(-1.0);
        public static readonly Expr H = new Variable();

        /// <summary>Rank of the node kind in the canonical order (see <see cref="ExprOrder"/>).</summary>
        internal abstract int KindRank { get; }

        public bool IsConstant(double value) => this is Constant c && c.Value.Equals(value);
    }

    /// <summary>A number.</summary>
    internal sealed record Constant(double Value) : Expr
    {
        internal override int KindRank => 0;
    }

    /// <summary>The activation's argument h.</summary>
    internal sealed record Variable : Expr
    {
        internal override int KindRank => 1;
    }

    /// <summary>A call of a differentiable one-argument function.</summary>
    internal sealed record Call(MathFunction Function, Expr Argument) : Expr
    {
        internal override int KindRank => 2;
    }

    /// <summary>Base^Exponent; the parser only produces constant exponents.</summary>
    internal sealed record Power(Expr Base, Expr Exponent) : Expr
    {
        internal override int KindRank => 3;
    }

    /// <summary>A product of two or more factors; in canonical form at most one constant, first.</summary>
    internal sealed record Product(EquatableArray<Expr> Factors) : Expr
    {
        internal override int KindRank => 4;
    }

    /// <summary>A sum of two or more terms; in canonical form at most one constant, first.</summary>
    internal sealed record Sum(EquatableArray<Expr> Terms) : Expr
    {
        internal override int KindRank => 5;
    }

    /// <summary><c>Condition ? WhenTrue : WhenFalse</c>: a piecewise function.</summary>
    internal sealed record Conditional(Condition Condition, Expr WhenTrue, Expr WhenFalse) : Expr
    {
        internal override int KindRank => 6;
    }

    /// <summary>
    /// <c>Left Op Right</c>. Kinks of phi lie where Left - Right changes sign (DESIGN.md 4.6).
    /// </summary>
    internal sealed record Condition(Expr Left, ComparisonOperator Operator, Expr Right)
    {
        public bool Evaluate(double left, double right) => Operator switch
        {
            ComparisonOperator.Greater => left > right,
            ComparisonOperator.GreaterOrEqual => left >= right,
            ComparisonOperator.Less => left < right,
            ComparisonOperator.LessOrEqual => left <= right,
            _ => throw new InvalidOperationException("Unknown comparison operator."),
        };

        /// <summary>The same condition with its sides swapped (<c>a &gt; b</c> becomes <c>b &lt; a</c>).</summary>
        public Condition Swapped() => new Condition(Right, Operator switch
        {
            ComparisonOperator.Greater => ComparisonOperator.Less,
            ComparisonOperator.GreaterOrEqual => ComparisonOperator.LessOrEqual,
            ComparisonOperator.Less => ComparisonOperator.Greater,
            _ => ComparisonOperator.GreaterOrEqual,
        }, Left);

        /// <summary>The logical negation (<c>!(a &gt; b)</c> is <c>a &lt;= b</c>).</summary>
        public Condition Negated() => new Condition(Left, Operator switch
        {
            ComparisonOperator.Greater => ComparisonOperator.LessOrEqual,
            ComparisonOperator.GreaterOrEqual => ComparisonOperator.Less,
            ComparisonOperator.Less => ComparisonOperator.GreaterOrEqual,
            _ => ComparisonOperator.Greater,
        }, Right);
    }

    internal enum ComparisonOperator
    {
        Greater,
        GreaterOrEqual,
        Less,
        LessOrEqual,
    }

    /// <summary>Functions the compiler can differentiate.</summary>
    internal enum MathFunction
    {
        Exp,
        Log,
        Sqrt,
        Tanh,
        Sinh,
        Cosh,
        Sin,
        Cos,
        Atan,
        Erf,
    }
}
