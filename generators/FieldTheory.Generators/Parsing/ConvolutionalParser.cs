using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using FieldTheory.Generators.Diagnostics;
using FieldTheory.Generators.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FieldTheory.Generators.Parsing
{
    /// <summary>
    /// Turns a type carrying [ConvolutionalNetwork] into a <see cref="ConvolutionalParseResult"/>: the activation is parsed
    /// exactly as for [Network] (<see cref="NetworkParser"/>), the layer attributes are read in source order, and the
    /// shapes are propagated through the layers from the declared input size to find impossible layers (FTC0016-18).
    /// </summary>
    internal static class ConvolutionalParser
    {
        public const string AttributeName = "FieldTheory.ConvolutionalNetworkAttribute";
        public const string ConvolutionAttributeName = "FieldTheory.ConvolutionAttribute";
        public const string PoolAttributeName = "FieldTheory.GlobalAveragePoolAttribute";

        public static ConvolutionalParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            ParseResult activation = NetworkParser.Parse(context, cancellationToken);
            var diagnostics = new List<DiagnosticInfo>(activation.Diagnostics);
            if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax node)
            {
                return new ConvolutionalParseResult(null, null, diagnostics.ToEquatableArray());
            }

            string name = type.Name;
            AttributeData network = context.Attributes[0];
            int inputChannels = Positive(network, "InputChannels", 1, "the network", name, context.TargetNode, diagnostics);
            int inputSize = Positive(network, "InputSize", 28, "the network", name, context.TargetNode, diagnostics);

            AttributeData[] layerAttributes = type.GetAttributes()
                .Where(a => a.AttributeClass?.ToDisplayString() is ConvolutionAttributeName or PoolAttributeName)
                .OrderBy(a => a.ApplicationSyntaxReference?.SyntaxTree.FilePath, System.StringComparer.Ordinal)
                .ThenBy(a => a.ApplicationSyntaxReference?.Span.Start ?? 0)
                .ToArray();

            var layers = new List<LayerSpec>();
            LocationInfo? typeLocation = LocationInfo.From(node.Identifier.GetLocation());
            bool pooled = false;
            int size = inputSize, convolutions = 0;
            foreach (AttributeData attribute in layerAttributes)
            {
                SyntaxNode where = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) ?? node;
                if (attribute.AttributeClass?.ToDisplayString() == PoolAttributeName)
                {
                    pooled = true;
                    layers.Add(new LayerSpec(true, 0, 0, 0, 0));
                    continue;
                }

                convolutions++;
                string layer = "convolution " + convolutions.ToString(CultureInfo.InvariantCulture);
                if (pooled)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerOrder, where, name, "declares " + layer + " after [GlobalAveragePool]"));
                }

                int channels = Positive(attribute, "Channels", 16, layer, name, where, diagnostics);
                int kernel = Positive(attribute, "Kernel", 3, layer, name, where, diagnostics);
                int stride = Positive(attribute, "Stride", 1, layer, name, where, diagnostics);
                int padding = Named(attribute, "Padding", 0);
                if (padding < 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.InvalidLayerParameter, ArgumentOrAttribute(attribute, "Padding", where), name, layer, "Padding", Text(padding), "at least 0"));
                }

                if (kernel >= 1 && stride >= 1 && padding >= 0 && size >= 1)
                {
                    int padded = size + (2 * padding);
                    if (kernel > padded)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(
                            DiagnosticDescriptors.KernelLargerThanInput, where, name, layer, Text(kernel), Text(size), Text(padding), Text(padded)));
                        size = 0;
                    }
                    else
                    {
                        size = ((padded - kernel) / stride) + 1;
                    }
                }

                layers.Add(new LayerSpec(false, channels, kernel, stride, padding));
            }

            if (convolutions == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerOrder, typeLocation, name, "declares no [Convolution] layer"));
            }
            else if (!pooled)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerOrder, typeLocation, name, "has no [GlobalAveragePool] before its readout"));
            }
            else if (layers.Count(l => l.IsPooling) > 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerOrder, typeLocation, name, "declares [GlobalAveragePool] more than once"));
            }

            if (diagnostics.Count > 0 || activation.Spec is null)
            {
                return new ConvolutionalParseResult(null, null, diagnostics.ToEquatableArray());
            }

            NetworkSpec spec = activation.Spec with { HiddenLayers = convolutions };
            return new ConvolutionalParseResult(spec, new ConvolutionalSpec(inputChannels, inputSize, layers.ToEquatableArray()), EquatableArray<DiagnosticInfo>.Empty);
        }

        private static int Positive(AttributeData attribute, string argument, int fallback, string layer, string name, SyntaxNode where, List<DiagnosticInfo> diagnostics)
        {
            int value = Named(attribute, argument, fallback);
            if (value < 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.InvalidLayerParameter, ArgumentOrAttribute(attribute, argument, where), name, layer, argument, Text(value), "at least 1"));
            }

            return value;
        }

        private static int Named(AttributeData attribute, string argument, int fallback)
        {
            foreach (KeyValuePair<string, TypedConstant> pair in attribute.NamedArguments)
            {
                if (pair.Key == argument)
                {
                    return pair.Value.Value is int v ? v : 0;
                }
            }

            return fallback;
        }

        private static LocationInfo? ArgumentOrAttribute(AttributeData attribute, string argument, SyntaxNode fallback)
        {
            SyntaxNode? where = (attribute.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax)?.ArgumentList?.Arguments
                .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == argument);
            return LocationInfo.From(where ?? fallback);
        }

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
