using FieldTheory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace FieldTheory.Generators.Tests.Diagnostics;

/// <summary>Runs the generator on marked source and checks the one diagnostic reported and the compilation.</summary>
internal static class DiagnosticAssert
{
    /// <summary>
    /// Asserts that the generator reports exactly one diagnostic, <paramref name="id"/>, at the marked span of the
    /// first source, and that the final compilation has no C# errors (generated code always compiles).
    /// </summary>
    public static (Diagnostic Diagnostic, GeneratorRun Run) ReportsAt(string id, string markedSource, params string[] otherSources)
    {
        MarkedSource marked = MarkedSource.Parse(markedSource);
        GeneratorRun run = GeneratorHarness.Run([marked.Text, .. otherSources]);

        Assert.Null(run.Exception);
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        FileLinePositionSpan where = diagnostic.Location.GetLineSpan();
        Assert.Equal(GeneratorHarness.SourcePath(0), where.Path);
        Assert.Equal(marked.LineSpan, where.Span);
        Assert.Equal(marked.Span, diagnostic.Location.SourceSpan);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
        run.AssertCompiles();
        return (diagnostic, run);
    }
}
