using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FieldTheory.Generators.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="NetworkGenerator"/> with a plain <see cref="CSharpGeneratorDriver"/> on test sources compiled against
/// the running runtime's assemblies and FieldTheory.dll.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>A compilation of <paramref name="sources"/> (files Source0.cs, Source1.cs, ...) plus <c>global using System;</c>.</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources)
    {
        IEnumerable<SyntaxTree> trees = sources
            .Select((text, i) => CSharpSyntaxTree.ParseText(text, ParseOptions, SourcePath(i)))
            .Append(CSharpSyntaxTree.ParseText("global using System;", ParseOptions, "GlobalUsings.cs"));
        return CSharpCompilation.Create(
            "GeneratorTestAssembly",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static string SourcePath(int index) => "Source" + index + ".cs";

    public static GeneratorDriver CreateDriver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Compiles <paramref name="sources"/>, runs the generator once and collects what it produced.</summary>
    public static GeneratorRun Run(params string[] sources) => Run(CreateCompilation(sources));

    public static GeneratorRun Run(CSharpCompilation input)
    {
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(
            input, out RoslynCompilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorDriverRunResult result = driver.GetRunResult();
        return new GeneratorRun(input, output, result, generatorDiagnostics);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        return [.. trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                        || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(NetworkModel).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
