using FieldTheory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace FieldTheory.Generators.Tests.Robustness;

/// <summary>
/// Odd activation declarations never crash the generator: each either generates code that compiles or reports at
/// least one FTC error, and generated code never adds C# errors of its own.
/// </summary>
public sealed class OddActivationTests
{
    public static TheoryData<string> Declarations() => new()
    {
        "static double Phi(double h) => " + Nest("Math.Tanh(", "h", ")", 12) + ";",
        "static double Phi(double h) => " + Nest("(1 + ", "h", ")", 200) + ";",
        "static double Phi(double h) => " + Nest("Math.Exp(", "h", ")", 3) + ";",
        "static double Phi(double h) { for (int i = 0; i < 3; i++) { h = h * h; } return h; }",
        "static double Phi(double h) { return h * h; }",
        "static double Phi(double h) { }",
        "static double Phi(double h) => ((Func<double, double>)(x => x * x))(h);",
        "static double Phi(double h) => h switch { > 0 => h, _ => 0.0 };",
        "static double Phi(double h) => \"abc\".Length * h;",
        "static double Phi(double h) => ((Func<double, double>)Math.Tanh)(h);",
        "static double Phi(double h) => h > 0 ? Phi(h - 1) : 0.0;",
        "static double Phi(double h) => h == 0 ? 1 : h;",
        "static double Phi(double h) => h / 0.0;",
        "static double Phi(double h) => Math.Log(h - h);",
        "static double Phi(double h) => Math.Sqrt(-1.0) * h;",
        "static double Phi(double h) => Math.Log(h, 2);",
        "static double Phi(double h) => Math.Pow(h, 1e6);",
        "static double Phi(double h) => Math.Pow(h, 1e308);",
        "static double Phi(double h) => Math.Pow(h, -7.5);",
        "static double Phi(double h) => double.MaxValue * h * h;",
        "static double Phi() => 1.0;",
        "static double Phi(double h, double g) => h + g;",
        "static double Phi(ref double h) => h;",
        "static double Phi<T>(double h) => h;",
        "double Phi(double h) => h;",
        "static double Phi(double h) => throw new InvalidOperationException();",
        "static double Phi(double h) => checked(h * 2);",
        "static double Phi(double h) => (int)h;",
        "static double Phi(double h) => h is > 0 ? h : 0.0;",
        "static double Phi(double h) => h > 0 && h < 1 || !(h > -1) ? h * h : Math.Abs(h);",
        "static double Phi(double h) => true ? h : 0.0;",
        "static double Phi(double h) => default;",
        "static double Phi(double h) => Math.Max(Math.Min(h, 1), -1) + SpecialFunctions.Erfc(h);",
        "static double Phi(double h) => undefined * h;",
        "static double Phi(double h) => h > Math.Sin(h) + 0.5 ? h : Math.Cos(h);",
        "static double Phi(double h) => Math.Pow(Math.Sqrt(h * h + 1), 4) / Math.Pow(h * h + 1, 2);",
        "static double Phi(double h) => 1e308 * 10 * h;",
        "static double Phi(double h) => h > double.NaN ? h : 0.0;",
    };

    [Theory]
    [MemberData(nameof(Declarations))]
    public void Generator_never_throws_and_output_compiles_or_an_error_is_reported(string method)
    {
        string source = $$"""
            namespace Odd;

            [FieldTheory.Network]
            public partial class Net
            {
                [FieldTheory.Activation] {{method}}
            }
            """;

        GeneratorRun run = GeneratorHarness.Run(source);

        Assert.Null(run.Exception);
        string[] added = run.CompilationErrors.Select(Describe)
            .Except(run.Input.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(Describe))
            .ToArray();
        Assert.True(added.Length == 0, "Generated code added errors:\n" + string.Join("\n", added));
        Assert.True(
            run.GeneratorErrors.Any(d => d.Id.StartsWith("FTC", StringComparison.Ordinal)) || !run.CompilationErrors.Any(),
            "Neither an FTC error nor compiling output:\n" + string.Join("\n", run.CompilationErrors));
    }

    private static string Describe(Diagnostic d) => d.Id + " " + d.Location.GetLineSpan() + " " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);

    private static string Nest(string open, string inner, string close, int depth) =>
        string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));
}
