using FieldTheory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace FieldTheory.Generators.Tests.Diagnostics;

/// <summary>One test per diagnostic ID: the ID, the exact span of the offending node, and code that still compiles.</summary>
public sealed class DiagnosticLocationTests
{
    [Fact]
    public void FTC0001_unsupported_syntax_marks_the_expression()
    {
        (Diagnostic d, _) = DiagnosticAssert.ReportsAt("FTC0001", """
            namespace Test;

            [FieldTheory.Network]
            public static partial class Net
            {
                [FieldTheory.Activation] static double Phi(double h) => 1.0 + [|h switch { > 0 => h, _ => 0.0 }|];
            }
            """);

        Assert.Contains("switch expression", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void FTC0002_unsupported_call_marks_the_invocation()
    {
        DiagnosticAssert.ReportsAt("FTC0002", """
            namespace Test;

            [FieldTheory.Network]
            public static partial class Net
            {
                [FieldTheory.Activation] static double Phi(double h) => Math.Tanh(h) * [|Math.Round(h)|];
            }
            """);
    }

    [Fact]
    public void FTC0003_invalid_signature_marks_the_method_name()
    {
        DiagnosticAssert.ReportsAt("FTC0003", """
            namespace Test;

            [FieldTheory.Network]
            public static partial class Net
            {
                [FieldTheory.Activation] static float [|Phi|](float h) => h;
            }
            """);
    }

    [Fact]
    public void FTC0004_block_body_marks_the_method_name()
    {
        DiagnosticAssert.ReportsAt("FTC0004", """
            namespace Test;

            [FieldTheory.Network]
            public static partial class Net
            {
                [FieldTheory.Activation]
                static double [|Phi|](double h)
                {
                    double twice = 2 * h;
                    return twice;
                }
            }
            """);
    }

    [Fact]
    public void FTC0005_invalid_hidden_layers_marks_the_attribute_argument()
    {
        DiagnosticAssert.ReportsAt("FTC0005", """
            namespace Test;

            [FieldTheory.Network([|HiddenLayers = 0|])]
            public static partial class Net
            {
                [FieldTheory.Activation] static double Phi(double h) => h;
            }
            """);
    }

    [Fact]
    public void FTC0006_missing_activation_marks_the_type_name()
    {
        DiagnosticAssert.ReportsAt("FTC0006", """
            namespace Test;

            [FieldTheory.Network]
            public static partial class [|Net|]
            {
                static double Phi(double h) => h;
            }
            """);
    }

    [Fact]
    public void FTC0007_second_activation_marks_its_name()
    {
        DiagnosticAssert.ReportsAt("FTC0007", """
            namespace Test;

            [FieldTheory.Network]
            public static partial class Net
            {
                [FieldTheory.Activation] static double Phi(double h) => h;

                [FieldTheory.Activation] static double [|Psi|](double h) => Math.Tanh(h);
            }
            """);
    }

    [Fact]
    public void FTC0008_non_constant_identifier_marks_the_identifier()
    {
        DiagnosticAssert.ReportsAt("FTC0008", """
            namespace Test;

            [FieldTheory.Network]
            public static partial class Net
            {
                static readonly double Scale = 2.0;

                [FieldTheory.Activation] static double Phi(double h) => [|Scale|] * h;
            }
            """);
    }

    [Fact]
    public void FTC0009_non_constant_exponent_marks_the_exponent()
    {
        DiagnosticAssert.ReportsAt("FTC0009", """
            namespace Test;

            [FieldTheory.Network]
            public static partial class Net
            {
                [FieldTheory.Activation] static double Phi(double h) => Math.Pow(2.0, [|h|]);
            }
            """);
    }

    [Fact]
    public void FTC0010_equality_condition_marks_the_comparison()
    {
        DiagnosticAssert.ReportsAt("FTC0010", """
            namespace Test;

            [FieldTheory.Network]
            public static partial class Net
            {
                [FieldTheory.Activation] static double Phi(double h) => [|h == 0|] ? 1 : h;
            }
            """);
    }

    [Fact]
    public void FTC0011_non_partial_type_marks_the_type_name()
    {
        DiagnosticAssert.ReportsAt("FTC0011", """
            namespace Test;

            [FieldTheory.Network]
            public static class [|Net|]
            {
                [FieldTheory.Activation] static double Phi(double h) => h;
            }
            """);
    }

    [Fact]
    public void FTC0012_nested_type_marks_the_type_name()
    {
        DiagnosticAssert.ReportsAt("FTC0012", """
            namespace Test;

            public static partial class Outer
            {
                [FieldTheory.Network]
                public static partial class [|Net|]
                {
                    [FieldTheory.Activation] static double Phi(double h) => h;
                }
            }
            """);
    }

    [Fact]
    public void FTC0012_generic_type_marks_the_type_name()
    {
        DiagnosticAssert.ReportsAt("FTC0012", """
            namespace Test;

            [FieldTheory.Network]
            public partial class [|Net|]<T>
            {
                [FieldTheory.Activation] static double Phi(double h) => h;
            }
            """);
    }

    [Fact]
    public void FTC0012_record_marks_the_type_name()
    {
        DiagnosticAssert.ReportsAt("FTC0012", """
            namespace Test;

            [FieldTheory.Network]
            public partial record [|Net|]
            {
                [FieldTheory.Activation] static double Phi(double h) => h;
            }
            """);
    }

    [Fact]
    public void FTC0013_non_finite_derivative_coefficient_marks_the_activation_body()
    {
        DiagnosticAssert.ReportsAt("FTC0013", """
            namespace Test;

            [FieldTheory.Network]
            public static partial class Net
            {
                [FieldTheory.Activation] static double Phi(double h) => [|Math.Pow(h, 1e308)|];
            }
            """);
    }

    [Fact]
    public void FTC0013_non_finite_constant_marks_the_activation_body()
    {
        DiagnosticAssert.ReportsAt("FTC0013", """
            namespace Test;

            [FieldTheory.Network]
            public static partial class Net
            {
                [FieldTheory.Activation] static double Phi(double h) => [|h + 1.0 / 0.0|];
            }
            """);
    }

    [Fact]
    public void FTC0014_duplicate_model_name_marks_the_second_declaration()
    {
        DiagnosticAssert.ReportsAt(
            "FTC0014",
            """
            namespace Second;

            [FieldTheory.Network]
            public static partial class [|Net|]
            {
                [FieldTheory.Activation] static double Phi(double h) => Math.Tanh(h);
            }
            """,
            """
            namespace First;

            [FieldTheory.Network]
            public static partial class NET
            {
                [FieldTheory.Activation] static double Phi(double h) => h;
            }
            """);
    }

    [Fact]
    public void FTC0015_discontinuous_activation_is_a_warning_on_the_body_and_still_generates()
    {
        (Diagnostic d, GeneratorRun run) = DiagnosticAssert.ReportsAt("FTC0015", """
            namespace Test;

            [FieldTheory.Network]
            public static partial class Net
            {
                [FieldTheory.Activation] static double Phi(double h) => [|h > 1.5 ? 1.0 : 0.0|];
            }
            """);

        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains("h = 1.5", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(run.Sources.Keys, k => GeneratorRun.IsModelHintName(k, "Test.Net"));
    }

    [Fact]
    public void FTC0015_names_only_the_points_where_phi_jumps_not_its_kinks()
    {
        (Diagnostic d, _) = DiagnosticAssert.ReportsAt("FTC0015", """
            namespace Test;

            [FieldTheory.Network]
            public static partial class Net
            {
                [FieldTheory.Activation] static double Phi(double h) => [|h < 0 ? 0.0 : h < 1 ? h : 2.0|];
            }
            """);

        string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("jumps at h = 1;", message);
        Assert.DoesNotContain("h = 0", message);
    }
}
