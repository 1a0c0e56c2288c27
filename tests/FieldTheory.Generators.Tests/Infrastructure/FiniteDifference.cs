namespace FieldTheory.Generators.Tests.Infrastructure;

/// <summary>
/// Central finite differences with a derived error bound: the truncation error is estimated from the difference
/// between steps h and 2h (the O(h^2) error term quadruples), the rounding error from machine epsilon and |f| / h.
/// </summary>
internal static class FiniteDifference
{
    private const double SafetyFactor = 4.0;
    private const double RoundingUlps = 16.0;
    private const double MachineEpsilon = 2.220446049250313e-16; // 2^-52

    public static (double Estimate, double Tolerance) Derivative(Func<double, double> f, double x)
    {
        double step = 1e-3 * Math.Max(1.0, Math.Abs(x));
        double plus = f(x + step), minus = f(x - step), plus2 = f(x + (2 * step)), minus2 = f(x - (2 * step));
        double fine = (plus - minus) / (2 * step);
        double coarse = (plus2 - minus2) / (4 * step);
        double truncation = Math.Abs(coarse - fine) / 3.0;
        double scale = new[] { plus, minus, plus2, minus2 }.Max(Math.Abs);
        double rounding = RoundingUlps * MachineEpsilon * scale / step;
        return (fine, SafetyFactor * (truncation + rounding));
    }

    /// <summary>Asserts that <paramref name="derivative"/> is the derivative of <paramref name="f"/> at <paramref name="x"/>.</summary>
    public static void AssertDerivative(Func<double, double> f, double derivative, double x, string what)
    {
        (double estimate, double tolerance) = Derivative(f, x);
        Assert.True(
            Math.Abs(derivative - estimate) <= tolerance,
            $"{what} at h = {x:R}: symbolic {derivative:R}, finite difference {estimate:R} +- {tolerance:R}");
    }

}
