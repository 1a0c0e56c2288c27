using System.Reflection;
using FieldTheory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Emit;

namespace FieldTheory.Generators.Tests.Integration;

/// <summary>The generated phi(h) computes what the declared C# method computes, for bodies of every supported kind.</summary>
public sealed class DeclaredMethodAgreementTests
{
    private static readonly double[] Points = [-3.7, -1.0, -0.35, 0.0, 0.6, 1.0, 2.45];

    [Theory]
    [InlineData("Math.Max(0.0, h)")]
    [InlineData("Math.Min(h, 1.0) + Math.Max(h, -0.5)")]
    [InlineData("Math.Abs(h - 0.5)")]
    [InlineData("h > 0 && h < 1 || !(h > -1) ? h * h : -h")]
    [InlineData("0 <= h ? Math.Sqrt(h + 1) : Math.Exp(h) / (1 + h * h)")]
    [InlineData("Math.Pow(h, 4) - 3 * Math.Pow(h, 2) / 2 + Math.Atan(h)")]
    [InlineData("Math.Sinh(h) / Math.Cosh(h) - Math.Sin(h) * Math.Cos(2 * h)")]
    [InlineData("FieldTheory.SpecialFunctions.Erfc(h) + Scale * FieldTheory.SpecialFunctions.Erf(h / Scale)")]
    [InlineData("Math.Log(1 + h * h) - (h - 1) * (h + 1)")]
    [InlineData("(double)(h * Scale) - 4 / Scale")]
    public void Generated_value_matches_the_declared_method(string body)
    {
        string source = $$"""
            namespace Agreement;

            [FieldTheory.Network]
            public static partial class Net
            {
                const double Scale = 2.5;

                [FieldTheory.Activation] public static double Declared(double h) => {{body}};
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Empty(run.GeneratorErrors);
        using var image = new MemoryStream();
        EmitResult emitted = run.Output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));

        Assembly assembly = Assembly.Load(image.ToArray());
        MethodInfo declared = assembly.GetType("Agreement.Net")!.GetMethod("Declared")!;
        NetworkModel model = Assert.Single(ModelCatalogue.ModelsIn(assembly));
        foreach (double h in Points)
        {
            double expected = (double)declared.Invoke(null, [h])!;
            double actual = model.Phi(h);
            Assert.True(
                Math.Abs(expected - actual) <= 1e-14 * Math.Max(1.0, Math.Abs(expected)),
                $"phi({h:R}) of '{body}': declared {expected:R}, generated {actual:R}");
        }
    }
}
