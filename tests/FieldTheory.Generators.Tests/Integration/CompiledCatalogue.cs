using System.Reflection;
using FieldTheory.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Emit;

namespace FieldTheory.Generators.Tests.Integration;

/// <summary>The built-in model declarations compiled with the generator's output into an assembly and loaded, once.</summary>
internal static class CompiledCatalogue
{
    private static readonly Lazy<Assembly> LoadedAssembly = new(Build);

    public static Assembly Assembly => LoadedAssembly.Value;

    public static NetworkModel Model(string name) =>
        ModelCatalogue.ModelsIn(Assembly).Single(m => m.Name == name);

    private static Assembly Build()
    {
        GeneratorRun run = GeneratorHarness.Run(CatalogueSources.ReadAll());
        Assert.Empty(run.GeneratorDiagnostics);
        using var image = new MemoryStream();
        EmitResult result = run.Output.Emit(image);
        Assert.True(result.Success, "Emit failed:\n" + string.Join("\n", result.Diagnostics));
        return Assembly.Load(image.ToArray());
    }
}
