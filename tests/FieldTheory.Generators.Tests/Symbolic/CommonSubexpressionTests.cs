using System.Text.RegularExpressions;
using FieldTheory.Generators.Symbolic;
using FieldTheory.Generators.Tests.Infrastructure;
using static FieldTheory.Generators.Symbolic.ExprFactory;

namespace FieldTheory.Generators.Tests.Symbolic;

/// <summary>phi and its derivatives share one evaluation of each common subexpression.</summary>
public sealed class CommonSubexpressionTests
{
    [Fact]
    public void Tanh_jet_evaluates_tanh_once()
    {
        string source = GeneratorHarness.Run(CatalogueSources.Read("TwoLayerTanh")).ModelSource("FieldTheory.Models.TwoLayerTanh");

        string jet = JetMethod(source);
        Assert.Single(Regex.Matches(jet, @"Math\.Tanh\("));
    }

    [Fact]
    public void Softplus_jet_evaluates_each_exponential_once()
    {
        string source = GeneratorHarness.Run(CatalogueSources.Read("Softplus")).ModelSource("FieldTheory.Models.Softplus");

        string jet = JetMethod(source);
        Assert.Equal(2, Regex.Matches(jet, @"Math\.Exp\(").Count);
    }

    [Fact]
    public void Tanh_lanes_evaluate_tanh_once_and_reuse_it_for_the_derivatives()
    {
        string source = GeneratorHarness.Run(CatalogueSources.Read("TwoLayerTanh")).ModelSource("FieldTheory.Models.TwoLayerTanh");

        string[] lanes = LaneMethods(source);
        Assert.All(lanes, method => Assert.Single(Regex.Matches(method, @"LaneMath\.Tanh\(")));
        Assert.Contains("dphi = TLanes.Create(1.0) - t0 * t0;", lanes[0], StringComparison.Ordinal);
        Assert.Contains("d2phi = ", lanes[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Softplus_lanes_evaluate_each_exponential_once_and_select_between_branches()
    {
        string source = GeneratorHarness.Run(CatalogueSources.Read("Softplus")).ModelSource("FieldTheory.Models.Softplus");

        foreach (string method in LaneMethods(source))
        {
            Assert.Equal(2, Regex.Matches(method, @"LaneMath\.Exp\(").Count);
            Assert.Contains("TLanes.ConditionalSelect(TLanes.GreaterThan(h, TLanes.Create(0.0)), ", method, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Shared_subtrees_become_temporaries_in_dependency_order()
    {
        Expr tanh = Fn(MathFunction.Tanh, Expr.H);
        Expr[] roots = [Simplifier.Simplify(tanh), Differentiator.Differentiate(tanh), Differentiator.Differentiate(Differentiator.Differentiate(tanh))];

        IReadOnlyList<Expr> temporaries = CommonSubexpressions.Temporaries(roots);

        Assert.Equal(tanh, temporaries[0]);
        Assert.Equal(temporaries.Count, temporaries.Distinct().Count());
        for (int i = 0; i < temporaries.Count; i++)
        {
            // Every temporary's own children that are temporaries come earlier.
            foreach (Expr child in ExprTraversal.Children(temporaries[i]))
            {
                int index = IndexOf(temporaries, child);
                Assert.True(index < i, $"Temporary {i} uses temporary {index}, defined later.");
            }
        }
    }

    [Fact]
    public void Expressions_without_sharing_need_no_temporaries()
    {
        Assert.Empty(CommonSubexpressions.Temporaries([Simplifier.Simplify(Add(Expr.H, Fn(MathFunction.Sin, Expr.H)))]));
    }

    private static int IndexOf(IReadOnlyList<Expr> list, Expr e)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i].Equals(e))
            {
                return i;
            }
        }

        return -1;
    }

    private static string JetMethod(string source) => Method(source, "ActivationJet Jet(double h)");

    // From the signature to the method's closing brace (members of the nested struct are indented 12 spaces).
    private static string Method(string source, string signature, int from = 0)
    {
        int start = source.IndexOf(signature, from, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No '{signature}' in the generated source.");
        int end = source.IndexOf("\n            }\n", start, StringComparison.Ordinal);
        return source.Substring(start, (end < 0 ? source.Length : end) - start);
    }

    // Both IActivation.Lanes overloads: phi and phi', then phi, phi' and phi''.
    private static string[] LaneMethods(string source)
    {
        const string Signature = "public static void Lanes<TLanes>(TLanes h";
        int second = source.IndexOf(Signature, source.IndexOf(Signature, StringComparison.Ordinal) + 1, StringComparison.Ordinal);
        return [Method(source, Signature), Method(source, Signature, second)];
    }
}
