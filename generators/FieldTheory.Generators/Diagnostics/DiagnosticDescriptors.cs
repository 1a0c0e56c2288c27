using Microsoft.CodeAnalysis;

namespace FieldTheory.Generators.Diagnostics
{
    /// <summary>
    /// Every diagnostic the compiler reports. IDs are stable: never renumber or reuse one (AnalyzerReleases.*.md).
    /// Messages say what was found, what is supported and, where it helps, why.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "FieldTheory.Compiler";

        private const string Supported =
            "supported: numbers, the parameter, named const fields, + - * /, unary -, Math.Pow with a constant exponent, " +
            "Math.Exp/Log/Sqrt/Tanh/Sinh/Cosh/Sin/Cos/Atan/Abs/Max/Min, SpecialFunctions.Erf, and ?: with <, <=, >, >=, &&, ||, !";

        public static readonly DiagnosticDescriptor UnsupportedSyntax = Error(
            "FTC0001",
            "Unsupported syntax in an activation",
            "The activation contains {0} '{1}', which the compiler cannot differentiate; " + Supported);

        public static readonly DiagnosticDescriptor UnsupportedCall = Error(
            "FTC0002",
            "Unsupported call in an activation",
            "The activation calls '{0}', which the compiler cannot differentiate; " + Supported);

        public static readonly DiagnosticDescriptor InvalidActivationSignature = Error(
            "FTC0003",
            "Invalid activation signature",
            "Activation '{0}' is declared as '{1}'; it must be 'static double {0}(double h)'");

        public static readonly DiagnosticDescriptor InvalidActivationBody = Error(
            "FTC0004",
            "Activation body is not a single expression",
            "Activation '{0}' must be expression-bodied ('=> ...') or consist of one 'return ...;' statement, because the compiler differentiates a single expression");

        public static readonly DiagnosticDescriptor InvalidHiddenLayers = Error(
            "FTC0005",
            "Invalid number of hidden layers",
            "Network '{0}' declares HiddenLayers = {1}; it must be a constant between 1 and 64");

        public static readonly DiagnosticDescriptor MissingActivation = Error(
            "FTC0006",
            "Network has no activation",
            "Network '{0}' has no [Activation] method; declare one, for example '[Activation] static double Phi(double h) => Math.Tanh(h);'");

        public static readonly DiagnosticDescriptor DuplicateActivation = Error(
            "FTC0007",
            "Network has more than one activation",
            "Network '{0}' declares a second [Activation] method '{1}'; a network has exactly one nonlinearity");

        public static readonly DiagnosticDescriptor NonConstantIdentifier = Error(
            "FTC0008",
            "Identifier is neither the parameter nor a constant",
            "'{0}' is not the activation's parameter or a 'const' number; only const fields are inlined (make it 'const double {0} = ...;')");

        public static readonly DiagnosticDescriptor NonConstantExponent = Error(
            "FTC0009",
            "Exponent is not a constant",
            "The exponent '{0}' of Math.Pow must be a compile-time constant; use Math.Exp(e * Math.Log(b)) for a variable exponent");

        public static readonly DiagnosticDescriptor EqualityCondition = Error(
            "FTC0010",
            "Equality in a piecewise condition",
            "The condition '{0}' uses '{1}'; piecewise conditions must use <, <=, > or >=, because equality holds only at isolated points where Gaussian averages do not see it");

        public static readonly DiagnosticDescriptor NetworkNotPartial = Error(
            "FTC0011",
            "Network type is not partial",
            "Network '{0}' must be declared 'partial' so that the compiler can add the generated activation and metadata to it");

        public static readonly DiagnosticDescriptor UnsupportedNetworkType = Error(
            "FTC0012",
            "Network type shape not supported",
            "Network '{0}' is {1}; declare networks as non-generic classes directly in a namespace");

        public static readonly DiagnosticDescriptor NonFiniteConstant = Error(
            "FTC0013",
            "Activation contains a non-finite constant",
            "The activation '{0}' or one of its first three derivatives folds to a non-finite constant ({1}); check for a division by zero, a logarithm of a non-positive number or an overflowing power");

        public static readonly DiagnosticDescriptor DuplicateModelName = Error(
            "FTC0014",
            "Two networks have the same name",
            "Another network in this assembly is also named '{0}'; catalogue names (type names, ignoring case) must be unique");

        public static readonly DiagnosticDescriptor DiscontinuousActivation = new DiagnosticDescriptor(
            "FTC0015",
            "Activation is discontinuous",
            "The activation '{0}' jumps at h = {1}; gradients and the theory's derivatives do not see the jump, so results describe the function without it",
            Category,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor InvalidLayerParameter = Error(
            "FTC0016",
            "Invalid layer parameter",
            "Convolutional network '{0}': {1} declares {2} = {3}; it must be a constant of {4}");

        public static readonly DiagnosticDescriptor KernelLargerThanInput = Error(
            "FTC0017",
            "Convolution kernel larger than its padded input",
            "Convolutional network '{0}': {1} has a {2}x{2} kernel, but its input is {3}x{3} pixels with padding {4} ({5}x{5} padded), so the layer would have no output; use a smaller kernel, more padding or a larger input");

        public static readonly DiagnosticDescriptor InvalidLayerOrder = Error(
            "FTC0018",
            "Invalid layer sequence",
            "Convolutional network '{0}' {1}; a convolutional network is one or more [Convolution] layers followed by exactly one [GlobalAveragePool], then the readout");

        private static DiagnosticDescriptor Error(string id, string title, string message) =>
            new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    }
}
