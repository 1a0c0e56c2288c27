using FieldTheory.Generators.Symbolic;
using static FieldTheory.Generators.Symbolic.ExprFactory;

namespace FieldTheory.Generators.Tests.Symbolic;

/// <summary>Smooth, piecewise (with kinks) or discontinuous, and where the kinks are.</summary>
public sealed class SmoothnessClassifierTests
{
    private static readonly Expr H = Expr.H;

    [Fact]
    public void Relu_has_a_kink_at_zero()
    {
        CompiledActivationAssert(If(H, ComparisonOperator.GreaterOrEqual, Expr.Zero, H, Expr.Zero), SmoothnessClass.Piecewise, [0.0]);
    }

    [Fact]
    public void Abs_has_a_kink_at_zero()
    {
        CompiledActivationAssert(If(H, ComparisonOperator.GreaterOrEqual, Expr.Zero, H, Neg(H)), SmoothnessClass.Piecewise, [0.0]);
    }

    [Fact]
    public void Max_with_a_shifted_threshold_has_its_kink_there()
    {
        CompiledActivationAssert(If(H, ComparisonOperator.GreaterOrEqual, Num(1.25), H, Num(1.25)), SmoothnessClass.Piecewise, [1.25]);
    }

    [Fact]
    public void Two_branch_softplus_is_smooth()
    {
        Expr softplus = If(
            H,
            ComparisonOperator.Greater,
            Expr.Zero,
            Add(H, Fn(MathFunction.Log, Add(Num(1), Fn(MathFunction.Exp, Neg(H))))),
            Fn(MathFunction.Log, Add(Num(1), Fn(MathFunction.Exp, H))));
        CompiledActivationAssert(softplus, SmoothnessClass.Smooth, []);
    }

    [Fact]
    public void Step_function_is_discontinuous()
    {
        CompiledActivationAssert(If(H, ComparisonOperator.Greater, Expr.Zero, Num(1), Expr.Zero), SmoothnessClass.Discontinuous, [0.0]);
    }

    [Fact]
    public void Cubic_spline_kink_shows_only_in_the_third_derivative()
    {
        CompiledActivationAssert(If(H, ComparisonOperator.Greater, Expr.Zero, Pow(H, 3), Expr.Zero), SmoothnessClass.Piecewise, [0.0]);
    }

    [Fact]
    public void Quadratic_condition_has_two_kinks()
    {
        Expr clipped = If(Pow(H, 2), ComparisonOperator.Less, Num(4), H, Num(0));
        CompiledActivationAssert(clipped, SmoothnessClass.Discontinuous, [-2.0, 2.0]);
    }

    [Fact]
    public void Tanh_is_smooth()
    {
        CompiledActivationAssert(Fn(MathFunction.Tanh, H), SmoothnessClass.Smooth, []);
    }

    private static void CompiledActivationAssert(Expr phi, SmoothnessClass expected, double[] kinks)
    {
        Specs.CompiledActivation compiled = ActivationCompiler.Compile(phi);

        Assert.Equal(expected, compiled.Smoothness);
        Assert.Equal(kinks.Length, compiled.Kinks.Count);
        for (int i = 0; i < kinks.Length; i++)
        {
            Assert.Equal(kinks[i], compiled.Kinks[i], 12);
        }
    }
}
