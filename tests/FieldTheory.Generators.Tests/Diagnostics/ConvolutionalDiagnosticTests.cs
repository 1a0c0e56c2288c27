using FieldTheory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace FieldTheory.Generators.Tests.Diagnostics;

/// <summary>One test per [ConvolutionalNetwork] shape diagnostic: the ID, the exact span, and code that still compiles.</summary>
public sealed class ConvolutionalDiagnosticTests
{
    [Fact]
    public void FTC0016_non_positive_channels_marks_the_argument()
    {
        (Diagnostic d, _) = DiagnosticAssert.ReportsAt("FTC0016", """
            namespace Test;

            [FieldTheory.ConvolutionalNetwork(InputChannels = 1, InputSize = 8)]
            [FieldTheory.Convolution(Channels = 4, Kernel = 3)]
            [FieldTheory.Convolution([|Channels = 0|], Kernel = 3)]
            [FieldTheory.GlobalAveragePool]
            public static partial class Net
            {
                [FieldTheory.Activation] static double Phi(double h) => Math.Tanh(h);
            }
            """);

        Assert.Contains("convolution 2 declares Channels = 0", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void FTC0016_non_positive_input_size_marks_the_argument()
    {
        DiagnosticAssert.ReportsAt("FTC0016", """
            namespace Test;

            [FieldTheory.ConvolutionalNetwork(InputChannels = 1, [|InputSize = -2|])]
            [FieldTheory.Convolution(Channels = 4, Kernel = 3)]
            [FieldTheory.GlobalAveragePool]
            public static partial class Net
            {
                [FieldTheory.Activation] static double Phi(double h) => Math.Tanh(h);
            }
            """);
    }

    [Fact]
    public void FTC0017_kernel_larger_than_the_padded_input_marks_the_layer()
    {
        (Diagnostic d, _) = DiagnosticAssert.ReportsAt("FTC0017", """
            namespace Test;

            [FieldTheory.ConvolutionalNetwork(InputChannels = 1, InputSize = 8)]
            [FieldTheory.Convolution(Channels = 4, Kernel = 3, Stride = 2)]
            [[|FieldTheory.Convolution(Channels = 4, Kernel = 5, Padding = 0)|]]
            [FieldTheory.GlobalAveragePool]
            public static partial class Net
            {
                [FieldTheory.Activation] static double Phi(double h) => Math.Tanh(h);
            }
            """);

        // 8 -> (8 - 3) / 2 + 1 = 3 pixels reach the second layer.
        Assert.Contains("5x5 kernel, but its input is 3x3 pixels", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void FTC0018_convolution_after_pooling_marks_the_layer()
    {
        DiagnosticAssert.ReportsAt("FTC0018", """
            namespace Test;

            [FieldTheory.ConvolutionalNetwork(InputChannels = 3, InputSize = 32)]
            [FieldTheory.Convolution(Channels = 4)]
            [FieldTheory.GlobalAveragePool]
            [[|FieldTheory.Convolution(Channels = 4)|]]
            public static partial class Net
            {
                [FieldTheory.Activation] static double Phi(double h) => Math.Tanh(h);
            }
            """);
    }

    [Fact]
    public void FTC0018_missing_pooling_marks_the_type_name()
    {
        (Diagnostic d, _) = DiagnosticAssert.ReportsAt("FTC0018", """
            namespace Test;

            [FieldTheory.ConvolutionalNetwork]
            [FieldTheory.Convolution(Channels = 4)]
            public static partial class [|Net|]
            {
                [FieldTheory.Activation] static double Phi(double h) => Math.Tanh(h);
            }
            """);

        Assert.Contains("has no [GlobalAveragePool]", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Activation_errors_are_reported_as_for_networks()
    {
        DiagnosticAssert.ReportsAt("FTC0002", """
            namespace Test;

            [FieldTheory.ConvolutionalNetwork]
            [FieldTheory.Convolution(Channels = 4)]
            [FieldTheory.GlobalAveragePool]
            public static partial class Net
            {
                [FieldTheory.Activation] static double Phi(double h) => [|Math.Round(h)|];
            }
            """);
    }
}
