using System.Reflection;
using FieldTheory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FieldTheory.Generators.Tests.Incrementality;

/// <summary>The [ConvolutionalNetwork] pipeline caches like the [Network] one and leaks no Roslyn objects.</summary>
public sealed class ConvolutionalIncrementalityTests
{
    private static readonly string[] StepNames = typeof(ConvolutionalTrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    private static string[] Sources() =>
    [
        File.ReadAllText(Path.Combine(TestPaths.ModelsDirectory, "FashionCnn.cs")),
        File.ReadAllText(Path.Combine(TestPaths.ModelsDirectory, "CifarCnn.cs")),
    ];

    [Fact]
    public void Unrelated_edit_leaves_every_convolutional_step_cached_or_unchanged()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Sources());
        GeneratorDriver driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();

        CSharpCompilation edited = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Elsewhere; internal static class Unrelated { }", GeneratorHarness.ParseOptions, "Unrelated.cs"));
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Null(second.Exception);
        Assert.Equal(4, first.GeneratedSources.Count(s => s.HintName.Contains("Cnn", StringComparison.Ordinal)));
        var offenders = new List<string>();
        foreach (string name in StepNames)
        {
            Assert.True(second.TrackedSteps.ContainsKey(name), "Step " + name + " was not tracked in the second run.");
            IncrementalStepRunReason[] reasons = second.TrackedSteps[name].SelectMany(step => step.Outputs).Select(output => output.Reason).ToArray();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, reason => Assert.True(
                reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"Step {name} produced an output with reason {reason}."));
            foreach (((object value, _), int o) in first.TrackedSteps[name].SelectMany(step => step.Outputs).Select((output, o) => (output, o)))
            {
                offenders.AddRange(StepOutputWalker.FindForbidden(value, $"{name}.Outputs[{o}]"));
            }
        }

        Assert.True(offenders.Count == 0, "Step outputs hold Roslyn objects:\n" + string.Join("\n", offenders));
    }
}
