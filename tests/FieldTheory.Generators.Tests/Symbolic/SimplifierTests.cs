using FieldTheory.Generators.Symbolic;
using static FieldTheory.Generators.Symbolic.ExprFactory;

namespace FieldTheory.Generators.Tests.Symbolic;

/// <summary>Canonical forms: equal expressions written differently simplify to equal records.</summary>
public sealed class SimplifierTests
{
    private static readonly Expr H = Expr.H;
    private static readonly Expr TanhH = Fn(MathFunction.Tanh, Expr.H);

    [Fact]
    public void Like_terms_are_collected()
    {
        Assert.Equal(S(Mul(Num(5), H)), S(Add(Mul(Num(2), H), Mul(Num(3), H))));
        Assert.Equal(S(Mul(Num(2), TanhH)), S(Add(TanhH, TanhH)));
    }

    [Fact]
    public void Opposite_terms_cancel()
    {
        Assert.Equal(Expr.Zero, S(Sub(TanhH, TanhH)));
        Assert.Equal(H, S(Add(H, TanhH, Neg(TanhH))));
    }

    [Fact]
    public void Like_factors_are_merged_into_powers()
    {
        Assert.Equal(new Power(H, Num(3)), S(Mul(H, H, H)));
        Assert.Equal(new Power(H, Num(3)), S(Mul(Pow(H, 2), H)));
        Assert.Equal(Expr.One, S(Mul(Pow(TanhH, 2), Pow(TanhH, -2))));
    }

    [Fact]
    public void Identities_of_zero_and_one_are_applied()
    {
        Assert.Equal(H, S(Add(H, Num(0))));
        Assert.Equal(H, S(Mul(H, Num(1))));
        Assert.Equal(Expr.Zero, S(Mul(TanhH, Num(0))));
        Assert.Equal(Expr.One, S(Pow(TanhH, 0)));
        Assert.Equal(TanhH, S(Pow(TanhH, 1)));
    }

    [Fact]
    public void Constants_are_folded()
    {
        Assert.Equal(new Constant(5), S(Add(Num(2), Num(3))));
        Assert.Equal(new Constant(8), S(Pow(Num(2), 3)));
        Assert.Equal(new Constant(Math.Exp(1.5)), S(Fn(MathFunction.Exp, Num(1.5))));
        Assert.Equal(S(Add(Num(3), H)), S(Add(Num(1), H, Num(2))));
    }

    [Fact]
    public void Operand_order_does_not_matter()
    {
        Assert.Equal(S(Add(H, TanhH)), S(Add(TanhH, H)));
        Assert.Equal(S(Mul(H, TanhH, Num(2))), S(Mul(Num(2), TanhH, H)));
    }

    [Fact]
    public void Conditionals_with_equal_branches_collapse()
    {
        Assert.Equal(TanhH, S(If(H, ComparisonOperator.Greater, Expr.Zero, TanhH, Add(TanhH, Num(0)))));
    }

    [Fact]
    public void Conditionals_with_constant_conditions_pick_a_branch()
    {
        Assert.Equal(H, S(If(Num(1), ComparisonOperator.Greater, Num(0), H, TanhH)));
        Assert.Equal(TanhH, S(If(Num(1), ComparisonOperator.Less, Num(0), H, TanhH)));
    }

    [Fact]
    public void Conditions_put_the_constant_on_the_right()
    {
        Expr simplified = S(If(Num(0), ComparisonOperator.LessOrEqual, H, H, Expr.Zero));

        Conditional c = Assert.IsType<Conditional>(simplified);
        Assert.Equal(new Condition(H, ComparisonOperator.GreaterOrEqual, Expr.Zero), c.Condition);
    }

    [Fact]
    public void Exp_of_log_cancels()
    {
        Assert.Equal(H, S(Fn(MathFunction.Exp, Fn(MathFunction.Log, H))));
    }

    [Fact]
    public void Simplification_is_idempotent()
    {
        Expr e = S(Add(Mul(Num(2), H, TanhH), Pow(Add(H, Num(1)), 2), Div(H, Add(H, Num(1)))));

        Assert.Equal(e, S(e));
    }

    private static Expr S(Expr e) => Simplifier.Simplify(e);
}
