using System.Collections.Generic;
using System.Linq;
using FieldTheory.Generators.Diagnostics;
using FieldTheory.Generators.Specs;

namespace FieldTheory.Generators.Symbolic
{
    /// <summary>
    /// Runs the symbolic passes on a parsed declaration: simplify, differentiate three times, classify smoothness and
    /// recognise closed-form families (DESIGN.md 6.2).
    /// </summary>
    internal static class ActivationCompiler
    {
        public static CompiledActivation Compile(Expr phi)
        {
            Expr p = Simplifier.Simplify(phi);
            Expr d1 = Differentiator.Differentiate(p);
            Expr d2 = Differentiator.Differentiate(d1);
            Expr d3 = Differentiator.Differentiate(d2);
            (SmoothnessClass smoothness, double[] kinks, double[] jumps) = SmoothnessClassifier.Classify(p, new[] { d1, d2, d3 });
            (FamilyKind family, double[] parameters) = FamilyRecognizer.Recognize(p, smoothness, kinks);
            return new CompiledActivation(p, d1, d2, d3, smoothness, PositiveZero(kinks), PositiveZero(jumps), family, PositiveZero(parameters));
        }

        public static CompileResult Compile(NetworkSpec spec)
        {
            var diagnostics = new List<DiagnosticInfo>();
            CompiledActivation activation = Compile(spec.Phi);
            double[] nonFinite = new[] { activation.Phi, activation.D1, activation.D2, activation.D3 }
                .SelectMany(Constants)
                .Where(v => double.IsNaN(v) || double.IsInfinity(v))
                .ToArray();
            if (nonFinite.Length > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.NonFiniteConstant, spec.Location, spec.ActivationSource, FormulaPrinter.FormatNumber(nonFinite[0])));
                return new CompileResult(null, diagnostics.ToEquatableArray());
            }

            if (activation.Smoothness == SmoothnessClass.Discontinuous)
            {
                string at = string.Join(", ", activation.Jumps.Select(FormulaPrinter.FormatNumber));
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DiscontinuousActivation, spec.Location, spec.ActivationSource, at));
            }

            return new CompileResult(new CompiledNetwork(spec, activation), diagnostics.ToEquatableArray());
        }

        // -0.0 + 0.0 is +0.0: metadata shows 0 rather than -0 for a kink at the origin.
        private static EquatableArray<double> PositiveZero(IEnumerable<double> values) => values.Select(v => v + 0.0).ToEquatableArray();

        private static IEnumerable<double> Constants(Expr e) =>
            e is Constant c ? new[] { c.Value } : ExprTraversal.Children(e).SelectMany(Constants);
    }
}
