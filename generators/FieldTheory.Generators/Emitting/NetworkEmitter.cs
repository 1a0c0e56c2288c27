using System.Globalization;
using System.Linq;
using FieldTheory.Generators.Specs;
using FieldTheory.Generators.Symbolic;
using Microsoft.CodeAnalysis.CSharp;

namespace FieldTheory.Generators.Emitting
{
    /// <summary>
    /// Emits the generated half of a [Network] type: metadata (<c>Info</c>), the compiled model (<c>Model</c>) and the
    /// activation struct. Each kind of generated member has its own emitter, so the kernels of later stages slot in
    /// beside <see cref="ActivationEmitter"/>.
    /// </summary>
    internal static class NetworkEmitter
    {
        /// <summary>
        /// The type's full name and a hash of it: Roslyn compares hint names ignoring case, so names that differ only in
        /// case (reported as FTC0014) or a type named like the registry file would otherwise make AddSource throw.
        /// </summary>
        public static string HintName(CompiledNetwork network) =>
            network.Spec.FullTypeName + "." + StableHash(network.Spec.FullTypeName) + ".g.cs";

        // FNV-1a over the UTF-16 code units: the same on every platform and run (string.GetHashCode is randomised).
        private static string StableHash(string text)
        {
            uint hash = 2166136261;
            foreach (char c in text)
            {
                hash = unchecked((hash ^ c) * 16777619);
            }

            return hash.ToString("x8", CultureInfo.InvariantCulture);
        }

        /// <summary>The type's generated file; <paramref name="declaration"/> names its attribute in the header.</summary>
        public static string Emit(CompiledNetwork network, string declaration = "[Network]")
        {
            NetworkSpec spec = network.Spec;
            var w = new SourceWriter();
            GeneratedFile.Header(w, declaration);
            bool hasNamespace = spec.Namespace.Length > 0;
            if (hasNamespace)
            {
                w.Open("namespace " + spec.Namespace);
            }

            w.Open("partial class " + spec.TypeName);
            EmitModel(w, network);
            w.Line();
            ActivationEmitter.Emit(w, network.Activation);
            w.Close();

            if (hasNamespace)
            {
                w.Close();
            }

            return w.ToString();
        }

        private static void EmitModel(SourceWriter w, CompiledNetwork network)
        {
            NetworkSpec spec = network.Spec;
            CompiledActivation a = network.Activation;
            w.Line("/// <summary>Name, depth and what the compiler found out about the nonlinearity.</summary>");
            w.Line("public static global::FieldTheory.ModelInfo Info { get; } = new global::FieldTheory.ModelInfo(");
            w.Line("    Name: " + Literal(spec.TypeName) + ",");
            w.Line("    TypeName: " + Literal(spec.FullTypeName) + ",");
            w.Line("    HiddenLayers: " + spec.HiddenLayers.ToString(CultureInfo.InvariantCulture) + ",");
            w.Line("    Activation: new global::FieldTheory.ActivationInfo(");
            w.Line("        Source: " + Literal(spec.ActivationSource) + ",");
            w.Line("        Phi: " + Literal(FormulaPrinter.Print(a.Phi)) + ",");
            w.Line("        D1: " + Literal(FormulaPrinter.Print(a.D1)) + ",");
            w.Line("        D2: " + Literal(FormulaPrinter.Print(a.D2)) + ",");
            w.Line("        D3: " + Literal(FormulaPrinter.Print(a.D3)) + ",");
            w.Line("        Smoothness: global::FieldTheory.Smoothness." + a.Smoothness + ",");
            w.Line("        Kinks: " + DoubleArray(a.Kinks) + ",");
            w.Line("        Family: global::FieldTheory.GaussianFamily." + a.Family + ",");
            w.Line("        FamilyParameters: " + DoubleArray(a.FamilyParameters) + "));");
            w.Line();
            w.Line("/// <summary>The compiled model: metadata and the generated <see cref=\"Activation\"/>.</summary>");
            w.Line("public static global::FieldTheory.NetworkModel Model { get; } = new global::FieldTheory.NetworkModel<Activation>(Info);");
        }

        private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

        private static string DoubleArray(EquatableArray<double> values) => values.Count == 0
            ? "global::System.Array.Empty<double>()"
            : "new double[] { " + string.Join(", ", values.Select(CSharpExprWriter.Literal)) + " }";
    }
}
