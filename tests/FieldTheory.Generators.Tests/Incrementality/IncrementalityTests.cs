using System.Reflection;
using FieldTheory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FieldTheory.Generators.Tests.Incrementality;

/// <summary>
/// The pipeline caches: after an unrelated edit every tracked step is Cached or Unchanged, and no step output holds
/// Roslyn symbols, syntax, compilations or locations (NetEscapades.EnumGenerators' check).
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] StepNames = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    // Valid models, a declaration with a parse error and one with a compile-stage warning, so every step has outputs.
    private static string[] Sources() =>
    [
        .. CatalogueSources.ReadAll(),
        """
        namespace Broken;

        [FieldTheory.Network]
        public static partial class Unsupported
        {
            [FieldTheory.Activation] static double Phi(double h) => Math.Round(h);
        }
        """,
        """
        namespace Jumpy;

        [FieldTheory.Network]
        public static partial class Step
        {
            [FieldTheory.Activation] static double Phi(double h) => h > 0 ? 1.0 : 0.0;
        }
        """,
    ];

    [Fact]
    public void Unrelated_edit_leaves_every_tracked_step_cached_or_unchanged()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Sources());
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();

        CSharpCompilation edited = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Elsewhere; internal static class Unrelated { }", GeneratorHarness.ParseOptions, "Unrelated.cs"));
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Null(first.Exception);
        Assert.Null(second.Exception);
        Assert.Equal(
            first.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())),
            second.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())));
        foreach (string name in StepNames)
        {
            Assert.True(second.TrackedSteps.ContainsKey(name), "Step " + name + " was not tracked in the second run.");
            var reasons = second.TrackedSteps[name]
                .SelectMany(step => step.Outputs)
                .Select(output => output.Reason)
                .ToArray();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, reason => Assert.True(
                reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"Step {name} produced an output with reason {reason}."));
        }
    }

    [Fact]
    public void Step_outputs_hold_no_symbols_syntax_compilations_or_locations()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Sources());
        GeneratorRunResult run = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation).GetRunResult().Results.Single();

        var offenders = new List<string>();
        foreach (string name in StepNames)
        {
            Assert.True(run.TrackedSteps.ContainsKey(name), "Step " + name + " was not tracked.");
            foreach ((IncrementalGeneratorRunStep step, int s) in run.TrackedSteps[name].Select((step, s) => (step, s)))
            {
                foreach (((object value, _), int o) in step.Outputs.Select((output, o) => (output, o)))
                {
                    offenders.AddRange(StepOutputWalker.FindForbidden(value, $"{name}[{s}].Outputs[{o}]"));
                }
            }
        }

        Assert.True(offenders.Count == 0, "Step outputs hold Roslyn objects:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Walker_finds_a_location_inside_a_tuple()
    {
        var leaky = (Name: "x", Where: Location.None);

        Assert.NotEmpty(StepOutputWalker.FindForbidden(leaky, "leaky"));
    }

    [Fact]
    public void Editing_one_activation_regenerates_only_that_model()
    {
        string[] sources = Sources();
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(sources);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        SyntaxTree tanh = compilation.SyntaxTrees.Single(t => t.ToString().Contains("class TwoLayerTanh", StringComparison.Ordinal));
        SyntaxTree editedTanh = tanh.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(
            tanh.ToString().Replace("Math.Tanh(h)", "Math.Tanh(2 * h)", StringComparison.Ordinal)));
        GeneratorRunResult second = driver.RunGenerators(compilation.ReplaceSyntaxTree(tanh, editedTanh)).GetRunResult().Results.Single();

        var modified = second.TrackedSteps[TrackingNames.Compile]
            .SelectMany(step => step.Outputs)
            .Where(output => output.Reason == IncrementalStepRunReason.Modified)
            .ToArray();
        Assert.Single(modified);
        Assert.Contains("tanh(2 * h)", second.GeneratedSources.Single(s => GeneratorRun.IsModelHintName(s.HintName, "FieldTheory.Models.TwoLayerTanh")).SourceText.ToString());
    }
}
