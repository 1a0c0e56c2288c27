using FieldTheory.Generators.Symbolic;
using static FieldTheory.Generators.Symbolic.ExprFactory;

namespace FieldTheory.Generators.Tests.Symbolic;

/// <summary>Readable formulas: operator precedence, signs, denominators and conditionals.</summary>
public sealed class FormulaPrinterTests
{
    private static readonly Expr H = Expr.H;
    private static readonly Expr TanhH = Fn(MathFunction.Tanh, Expr.H);

    private static readonly Dictionary<string, Expr> Cases = new()
    {
        ["1 - tanh(h)^2"] = Sub(Num(1), Pow(TanhH, 2)),
        ["h / (1 + h)"] = Div(H, Add(Num(1), H)),
        ["-2 * h"] = Neg(Mul(Num(2), H)),
        ["0.5 * h * (1 + erf(h))"] = Mul(Num(0.5), H, Add(Num(1), Fn(MathFunction.Erf, H))),
        ["sqrt(1 + h)"] = Pow(Add(H, Num(1)), 0.5),
        ["(1 + h)^3"] = Pow(Add(H, Num(1)), 3),
        ["1 / (h * tanh(h))"] = Div(Num(1), Mul(H, TanhH)),
        ["h >= 0 ? h : 0.1 * h"] = If(H, ComparisonOperator.GreaterOrEqual, Expr.Zero, H, Mul(Num(0.1), H)),
        ["-0.25"] = Num(-0.25),
        ["0.1"] = Num(0.1),
    };

    [Theory]
    [InlineData("1 - tanh(h)^2")]
    [InlineData("h / (1 + h)")]
    [InlineData("-2 * h")]
    [InlineData("0.5 * h * (1 + erf(h))")]
    [InlineData("sqrt(1 + h)")]
    [InlineData("(1 + h)^3")]
    [InlineData("1 / (h * tanh(h))")]
    [InlineData("h >= 0 ? h : 0.1 * h")]
    [InlineData("-0.25")]
    [InlineData("0.1")]
    public void Prints_readable_formulas(string expected)
    {
        Assert.Equal(expected, FormulaPrinter.Print(Simplifier.Simplify(Cases[expected])));
    }

    [Fact]
    public void Numbers_are_culture_invariant_round_trip()
    {
        Assert.Equal("0.30000000000000004", FormulaPrinter.FormatNumber(0.1 + 0.2));
        Assert.Equal("1E-20", FormulaPrinter.FormatNumber(1e-20));
        Assert.Equal("NaN", FormulaPrinter.FormatNumber(double.NaN));
    }
}
