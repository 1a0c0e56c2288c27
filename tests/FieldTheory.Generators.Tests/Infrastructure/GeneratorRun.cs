using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace FieldTheory.Generators.Tests.Infrastructure;

/// <summary>What one generator run produced: sources, the generator's diagnostics and the final compilation.</summary>
internal sealed class GeneratorRun(
    RoslynCompilation input, RoslynCompilation output, GeneratorDriverRunResult result, ImmutableArray<Diagnostic> generatorDiagnostics)
{
    /// <summary>The compilation of the test sources alone.</summary>
    public RoslynCompilation Input { get; } = input;

    /// <summary>The test sources plus everything the generator added.</summary>
    public RoslynCompilation Output { get; } = output;

    public GeneratorDriverRunResult Result { get; } = result;

    /// <summary>Diagnostics the generator reported (the FTC diagnostics).</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; } = generatorDiagnostics;

    /// <summary>The exception the generator threw, if any.</summary>
    public Exception? Exception => Result.Results.Single().Exception;

    /// <summary>Generated sources by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources =>
        Result.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    /// <summary>Diagnostics of the final compilation (C# errors and warnings of sources and generated code).</summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics => Output.GetDiagnostics();

    public IEnumerable<Diagnostic> CompilationErrors =>
        CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);

    public IEnumerable<Diagnostic> GeneratorErrors =>
        GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The generated source of the network type <paramref name="fullTypeName"/>.</summary>
    public string ModelSource(string fullTypeName) => Sources.Single(s => IsModelHintName(s.Key, fullTypeName)).Value;

    /// <summary>Whether <paramref name="hintName"/> is that of the network type <paramref name="fullTypeName"/> ("Name.hash.g.cs").</summary>
    public static bool IsModelHintName(string hintName, string fullTypeName) =>
        hintName.StartsWith(fullTypeName + ".", StringComparison.Ordinal)
        && hintName.EndsWith(".g.cs", StringComparison.Ordinal)
        && hintName.Count(c => c == '.') == fullTypeName.Count(c => c == '.') + 3;

    /// <summary>Fails with the diagnostics' text unless the final compilation has no errors.</summary>
    public void AssertCompiles()
    {
        string[] errors = CompilationErrors.Select(d => d.ToString()).ToArray();
        Assert.True(errors.Length == 0, "The final compilation has errors:\n" + string.Join("\n", errors));
    }
}
