using FieldTheory.Generators.Symbolic;
using FieldTheory.Generators.Tests.Infrastructure;
using static FieldTheory.Generators.Symbolic.ExprFactory;

namespace FieldTheory.Generators.Tests.Symbolic;

/// <summary>Symbolic derivatives against central finite differences, for every function and three orders.</summary>
public sealed class DifferentiatorTests
{
    // Inside every function's domain: the argument 0.3 h + 1.5 stays positive for these h.
    private static readonly double[] Points = [-2.5, -0.9, 0.2, 1.3, 3.1];

    public static TheoryData<string> Functions()
    {
        var data = new TheoryData<string>();
        foreach (MathFunction f in Enum.GetValues<MathFunction>())
        {
            data.Add(f.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Derivatives_of_each_function_match_finite_differences(string name)
    {
        MathFunction function = Enum.Parse<MathFunction>(name);
        Expr phi = Fn(function, Add(Mul(Num(0.3), Expr.H), Num(1.5)));
        AssertDerivativesMatch(phi, function.ToString());
    }

    [Fact]
    public void Product_quotient_and_power_rules_match_finite_differences()
    {
        Expr phi = Div(
            Mul(Expr.H, Fn(MathFunction.Sin, Expr.H), Pow(Add(Expr.H, Num(4)), 3)),
            Add(Num(2), Pow(Expr.H, 2)));
        AssertDerivativesMatch(phi, "rational");
    }

    [Fact]
    public void Fractional_powers_match_finite_differences()
    {
        AssertDerivativesMatch(Pow(Add(Pow(Expr.H, 2), Num(1)), 0.5), "sqrt(h^2 + 1)");
        AssertDerivativesMatch(Pow(Add(Pow(Expr.H, 2), Num(1)), -1.5), "(h^2 + 1)^-1.5");
    }

    [Fact]
    public void Conditionals_are_differentiated_branch_by_branch()
    {
        Expr phi = If(Expr.H, ComparisonOperator.Greater, Expr.Zero, Pow(Expr.H, 3), Fn(MathFunction.Sin, Expr.H));
        Expr d = Differentiator.Differentiate(phi);

        Assert.Equal(3 * 1.7 * 1.7, Evaluator.Evaluate(d, 1.7), 12);
        Assert.Equal(Math.Cos(-1.7), Evaluator.Evaluate(d, -1.7), 12);
    }

    [Fact]
    public void Derivatives_of_constants_and_h_are_exact()
    {
        Assert.Equal(Expr.Zero, Differentiator.Differentiate(Num(4.2)));
        Assert.Equal(Expr.One, Differentiator.Differentiate(Expr.H));
        Assert.Equal(Expr.Zero, Differentiator.Differentiate(Differentiator.Differentiate(Mul(Num(3), Expr.H))));
    }

    private static void AssertDerivativesMatch(Expr phi, string what)
    {
        Expr previous = Simplifier.Simplify(phi);
        for (int order = 1; order <= 3; order++)
        {
            Expr derivative = Differentiator.Differentiate(previous);
            foreach (double h in Points)
            {
                Expr f = previous;
                FiniteDifference.AssertDerivative(x => Evaluator.Evaluate(f, x), Evaluator.Evaluate(derivative, h), h, $"{what} order {order}");
            }

            previous = derivative;
        }
    }
}
