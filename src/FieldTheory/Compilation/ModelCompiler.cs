using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using FieldTheory.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RoslynCompilation = Microsoft.CodeAnalysis.Compilation;

namespace FieldTheory.Compilation;

/// <summary>
/// Compiles a C# model file at run time with the same source generator the build uses, loads it, and returns its
/// models (DESIGN.md 6.1), so the CLI can use a model nobody compiled into the catalogue. Errors come back as the
/// generator's and the C# compiler's diagnostics, with file, line and column.
/// </summary>
public static class ModelCompiler
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>Compiles the file at <paramref name="path"/>; throws <see cref="ModelCompilationException"/> on errors.</summary>
    public static IReadOnlyList<NetworkModel> CompileFile(string path)
    {
        string source;
        try
        {
            source = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ModelCompilationException($"Cannot read model file '{path}': {e.Message}", []);
        }

        return CompileSource(source, Path.GetFullPath(path));
    }

    /// <summary>Compiles model source text; <paramref name="path"/> names it in diagnostics.</summary>
    public static IReadOnlyList<NetworkModel> CompileSource(string source, string path = "Model.cs")
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        SyntaxTree tree = CSharpSyntaxTree.ParseText(source, parseOptions, path);
        string assemblyName = "FieldTheory.UserModels." + Guid.NewGuid().ToString("N");
        CSharpCompilation compilation = CSharpCompilation.Create(
            assemblyName,
            [tree, CSharpSyntaxTree.ParseText("global using System;", parseOptions, "GlobalUsings.g.cs")],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));

        GeneratorDriver driver = CSharpGeneratorDriver.Create([new NetworkGenerator().AsSourceGenerator()], parseOptions: parseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out RoslynCompilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);

        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = output.Emit(image);
        Diagnostic[] errors = generatorDiagnostics.Concat(emitted.Diagnostics)
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Distinct()
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToArray();
        if (errors.Length > 0 || !emitted.Success)
        {
            string[] lines = errors.Select(Format).ToArray();
            throw new ModelCompilationException($"Model file '{path}' does not compile:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}", lines);
        }

        image.Position = 0;
        Assembly assembly = AssemblyLoadContext.Default.LoadFromStream(image);
        IReadOnlyList<NetworkModel> models = ModelCatalogue.ModelsIn(assembly);
        if (models.Count == 0)
        {
            throw new ModelCompilationException($"Model file '{path}' declares no [Network] model.", []);
        }

        return models;
    }

    /// <summary>"path(line,col): error ID: message", the format of the C# compiler.</summary>
    private static string Format(Diagnostic d)
    {
        FileLinePositionSpan span = d.Location.GetLineSpan();
        // Generator diagnostics carry external-file locations (plain values), so test the span, not IsInSource.
        string where = d.Location.Kind != LocationKind.None && !string.IsNullOrEmpty(span.Path)
            ? $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})"
            : "(no location)";
        return $"{where}: {d.Severity.ToString().ToLowerInvariant()} {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The running runtime's own assemblies, plus this library (attributes, SpecialFunctions, NetworkModel).
        string trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        IEnumerable<string> paths = trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                        || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll");
        return [.. paths.Append(typeof(NetworkModel).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
