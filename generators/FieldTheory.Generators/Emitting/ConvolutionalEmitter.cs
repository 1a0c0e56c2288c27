using System.Globalization;
using FieldTheory.Generators.Specs;
using Microsoft.CodeAnalysis.CSharp;

namespace FieldTheory.Generators.Emitting
{
    /// <summary>
    /// Emits the convolutional half of a [ConvolutionalNetwork] type: <c>Architecture</c> (a <c>CnnArchitecture</c> with
    /// the layers in declaration order) and <c>Convolutional</c> (the architecture with the compiled activation
    /// <c>Model</c>, which <see cref="NetworkEmitter"/> writes in the type's other generated file).
    /// </summary>
    internal static class ConvolutionalEmitter
    {
        /// <summary>The attribute named in the header of both generated files of a convolutional network.</summary>
        public const string Declaration = "[ConvolutionalNetwork]";

        public static string HintName(CompiledConvolutionalNetwork network) =>
            NetworkEmitter.HintName(network.Network).Replace(".g.cs", ".Convolutional.g.cs");

        public static string Emit(CompiledConvolutionalNetwork network)
        {
            NetworkSpec spec = network.Network.Spec;
            ConvolutionalSpec architecture = network.Architecture;
            var w = new SourceWriter();
            GeneratedFile.Header(w, Declaration);
            bool hasNamespace = spec.Namespace.Length > 0;
            if (hasNamespace)
            {
                w.Open("namespace " + spec.Namespace);
            }

            w.Open("partial class " + spec.TypeName);
            w.Line("/// <summary>Input shape and layers as declared, in order; the generator checked the shapes.</summary>");
            w.Line("public static global::FieldTheory.Convolutions.CnnArchitecture Architecture { get; } = new global::FieldTheory.Convolutions.CnnArchitecture(");
            w.Line("    " + SymbolDisplay.FormatLiteral(spec.TypeName, quote: true) + ",");
            w.Line("    new global::FieldTheory.Convolutions.MapShape(" + Text(architecture.InputChannels) + ", " + Text(architecture.InputSize) + "),");
            w.Line("    new global::FieldTheory.Convolutions.CnnLayer[]");
            w.Line("    {");
            foreach (LayerSpec layer in architecture.Layers)
            {
                w.Line("        " + (layer.IsPooling
                    ? "new global::FieldTheory.Convolutions.GlobalAveragePoolLayer(),"
                    : "new global::FieldTheory.Convolutions.ConvolutionLayer(Channels: " + Text(layer.Channels) + ", Kernel: " + Text(layer.Kernel)
                        + ", Stride: " + Text(layer.Stride) + ", Padding: " + Text(layer.Padding) + "),"));
            }

            w.Line("    });");
            w.Line();
            w.Line("/// <summary>The convolutional model: <see cref=\"Architecture\"/> with the compiled activation <see cref=\"Model\"/>.</summary>");
            w.Line("public static global::FieldTheory.Convolutions.ConvolutionalModel Convolutional { get; } = new global::FieldTheory.Convolutions.ConvolutionalModel(Architecture, Model);");
            w.Close();
            if (hasNamespace)
            {
                w.Close();
            }

            return w.ToString();
        }

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
