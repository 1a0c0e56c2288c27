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

    private static string JetMethod(string source)
    {
        int start = source.IndexOf("ActivationJet Jet(double h)", StringComparison.Ordinal);
        Assert.True(start >= 0, "No Jet method in the generated source.");
        int end = source.IndexOf("\n        }\n", start, StringComparison.Ordinal);
        return source.Substring(start, (end < 0 ? source.Length : end) - start);
    }
}
