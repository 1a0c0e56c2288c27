using FieldTheory.Generators.Symbolic;
using static FieldTheory.Generators.Symbolic.ExprFactory;

namespace FieldTheory.Generators.Tests.Symbolic;

/// <summary>Families with closed-form Gaussian expectations and their parameters.</summary>
public sealed class FamilyRecognizerTests
{
    private static readonly Expr H = Expr.H;

    [Fact]
    public void Affine_functions_are_linear()
    {
        AssertFamily(Add(Num(1.5), Mul(Num(2), H)), FamilyKind.Linear, [1.5, 2.0]);
        AssertFamily(Num(3), FamilyKind.Linear, [3.0, 0.0]);
    }

    [Fact]
    public void Polynomials_list_their_coefficients()
    {
        AssertFamily(Add(H, Mul(Num(0.25), Pow(H, 3))), FamilyKind.Polynomial, [0.0, 1.0, 0.0, 0.25]);
        AssertFamily(Pow(Add(H, Num(1)), 2), FamilyKind.Polynomial, [1.0, 2.0, 1.0]);
    }

    [Fact]
    public void Leaky_relu_is_relu_like_with_both_slopes()
    {
        AssertFamily(If(H, ComparisonOperator.Greater, Expr.Zero, Mul(Num(2), H), Mul(Num(0.1), H)), FamilyKind.ReluLike, [0.1, 2.0]);
    }

    [Fact]
    public void Abs_is_relu_like_with_slope_minus_one_below()
    {
        AssertFamily(If(H, ComparisonOperator.GreaterOrEqual, Expr.Zero, H, Neg(H)), FamilyKind.ReluLike, [-1.0, 1.0]);
    }

    [Fact]
    public void Shifted_relu_is_not_relu_like()
    {
        AssertFamily(If(H, ComparisonOperator.GreaterOrEqual, Num(1), Sub(H, Num(1)), Expr.Zero), FamilyKind.General, []);
    }

    [Fact]
    public void Affine_erf_lists_amplitude_scale_and_offset()
    {
        AssertFamily(Add(Num(0.5), Mul(Num(2), Fn(MathFunction.Erf, Mul(Num(3), H)))), FamilyKind.Erf, [2.0, 3.0, 0.5]);
        AssertFamily(Fn(MathFunction.Erf, H), FamilyKind.Erf, [1.0, 1.0, 0.0]);
    }

    [Fact]
    public void Erf_of_a_shifted_argument_is_general()
    {
        AssertFamily(Fn(MathFunction.Erf, Add(H, Num(1))), FamilyKind.General, []);
    }

    [Fact]
    public void Tanh_is_general()
    {
        AssertFamily(Fn(MathFunction.Tanh, H), FamilyKind.General, []);
    }

    private static void AssertFamily(Expr phi, FamilyKind kind, double[] parameters)
    {
        Specs.CompiledActivation compiled = ActivationCompiler.Compile(phi);

        Assert.Equal(kind, compiled.Family);
        Assert.Equal(parameters, compiled.FamilyParameters.ToArray());
    }
}
