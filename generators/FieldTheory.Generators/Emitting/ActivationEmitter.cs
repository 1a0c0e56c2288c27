using System.Collections.Generic;
using System.Linq;
using FieldTheory.Generators.Specs;
using FieldTheory.Generators.Symbolic;

namespace FieldTheory.Generators.Emitting
{
    /// <summary>
    /// Emits the model's activation struct (an <c>IActivation</c>): phi alone, phi' alone, and the fused jet of phi
    /// and its three derivatives, each with its own common-subexpression elimination.
    /// </summary>
    internal static class ActivationEmitter
    {
        private const string Inline = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";

        public static void Emit(SourceWriter w, CompiledActivation activation)
        {
            w.Line("/// <summary>");
            w.Line("/// phi(h) = " + Xml.Escape(FormulaPrinter.Print(activation.Phi)) + ", compiled symbolically with its first three derivatives.");
            w.Line("/// Use it as a type argument of solvers and kernels (<c>where TActivation : struct, IActivation</c>).");
            w.Line("/// </summary>");
            w.Open("public readonly struct Activation : global::FieldTheory.IActivation");

            w.Line("/// <summary>phi(h) = " + Xml.Escape(FormulaPrinter.Print(activation.Phi)) + "</summary>");
            w.Line(Inline);
            EmitMethod(w, "public double Value(double h)", new[] { activation.Phi }, values => values[0]);
            w.Line();

            w.Line("/// <summary>phi'(h) = " + Xml.Escape(FormulaPrinter.Print(activation.D1)) + "</summary>");
            w.Line(Inline);
            EmitMethod(w, "public double Derivative(double h)", new[] { activation.D1 }, values => values[0]);
            w.Line();

            w.Line("/// <summary>phi(h), phi'(h), phi''(h) and phi'''(h), sharing common subexpressions.</summary>");
            w.Line(Inline);
            EmitMethod(
                w,
                "public global::FieldTheory.ActivationJet Jet(double h)",
                new[] { activation.Phi, activation.D1, activation.D2, activation.D3 },
                values => "new global::FieldTheory.ActivationJet(" + string.Join(", ", values) + ")");
            w.Line();

            w.Line("/// <summary>phi(h) and phi'(h) on SIMD lanes: the same formulas, conditionals as lane selects.</summary>");
            w.Line(Inline);
            EmitLanes(w, new[] { ("phi", activation.Phi), ("dphi", activation.D1) });
            w.Line();

            w.Line("/// <summary>phi(h), phi'(h) and phi''(h) on SIMD lanes, sharing common subexpressions.</summary>");
            w.Line(Inline);
            EmitLanes(w, new[] { ("phi", activation.Phi), ("dphi", activation.D1), ("d2phi", activation.D2) });
            w.Close();
        }

        /// <summary>An IActivation.Lanes overload: the named outputs with vector arithmetic (<see cref="LaneExprWriter"/>), sharing temporaries.</summary>
        private static void EmitLanes(SourceWriter w, IReadOnlyList<(string Name, Expr Formula)> outputs)
        {
            var writer = new LaneExprWriter();
            IReadOnlyList<Expr> temporaries = CommonSubexpressions.Temporaries(outputs.Select(o => o.Formula).ToArray());
            w.Line("public static void Lanes<TLanes>(TLanes h, " + string.Join(", ", outputs.Select(o => "out TLanes " + o.Name)) + ")");
            w.Open("    where TLanes : struct, global::FieldTheory.Compute.ILanes<TLanes>");
            DeclareTemporaries(w, writer, temporaries, "TLanes");

            foreach ((string name, Expr formula) in outputs)
            {
                w.Line(name + " = " + writer.Write(formula) + ";");
            }

            w.Close();
        }

        /// <summary>One local per temporary, t0, t1, ..., in dependency order; later writes refer to them by name.</summary>
        private static void DeclareTemporaries(SourceWriter w, CodeExprWriter writer, IReadOnlyList<Expr> temporaries, string type)
        {
            for (int i = 0; i < temporaries.Count; i++)
            {
                string name = "t" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                w.Line(type + " " + name + " = " + writer.Define(temporaries[i], name) + ";");
            }
        }

        /// <summary>A method returning <paramref name="result"/> of the roots, with temporaries for shared subexpressions.</summary>
        private static void EmitMethod(SourceWriter w, string signature, IReadOnlyList<Expr> roots, System.Func<IReadOnlyList<string>, string> result)
        {
            var writer = new CSharpExprWriter();
            IReadOnlyList<Expr> temporaries = CommonSubexpressions.Temporaries(roots);
            if (temporaries.Count == 0)
            {
                w.Line(signature + " => " + result(roots.Select(writer.Write).ToArray()) + ";");
                return;
            }

            w.Open(signature);
            DeclareTemporaries(w, writer, temporaries, "double");

            w.Line("return " + result(roots.Select(writer.Write).ToArray()) + ";");
            w.Close();
        }
    }
}
