using FieldTheory.Compilation;
using FieldTheory.Tests.Models;

namespace FieldTheory.Tests.Compilation;

/// <summary>The run-time compiler builds model files that no catalogue contains, and reports broken ones precisely.</summary>
public sealed class ModelCompilerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ftc-models-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private const string Swish = """
        using FieldTheory;

        namespace UserModels;

        [Network(HiddenLayers = 2)]
        public static partial class Swish
        {
            const double Beta = 1.5;

            [Activation] static double Phi(double h) => h / (1.0 + Math.Exp(-Beta * h));
        }
        """;

    [Fact]
    public void CompilesAndLoadsAModelFileThatIsNotInTheCatalogue()
    {
        NetworkModel model = Assert.Single(ModelCompiler.CompileFile(Write("Swish.cs", Swish)));

        Assert.Equal("Swish", model.Name);
        Assert.Equal("UserModels.Swish", model.Info.TypeName);
        Assert.Equal(2, model.HiddenLayers);
        Assert.Equal(Smoothness.Smooth, model.Info.Activation.Smoothness);
        foreach (double h in new[] { -3.0, -0.4, 0.0, 0.7, 2.5 })
        {
            double expected = h / (1.0 + Math.Exp(-1.5 * h));
            Assert.Equal(expected, model.Phi(h), 1e-15);
            double slope = FiniteDifferences.Derivative(model.Phi, h, 1e-2);
            Assert.Equal(slope, model.Jet(h).D1, 1e-10);
        }
    }

    [Fact]
    public void CompiledModelsExposeTheirActivationAsATypeArgument()
    {
        NetworkModel model = Assert.Single(ModelCompiler.CompileFile(Write("Swish.cs", Swish)));

        Assert.Equal("UserModels.Swish+Activation", model.Accept(new ActivationTypeName()));
    }

    [Fact]
    public void UnsupportedCallIsReportedWithFileLineAndColumn()
    {
        string source = """
            using FieldTheory;

            [Network]
            public static partial class Floored
            {
                [Activation] static double Phi(double h) => Math.Floor(h);
            }
            """;
        string path = Write("Floored.cs", source);

        var error = Assert.Throws<ModelCompilationException>(() => ModelCompiler.CompileFile(path));

        string line = Assert.Single(error.Diagnostics);
        int column = source.Split('\n')[5].IndexOf("Math.Floor(h)", StringComparison.Ordinal) + 1;
        Assert.StartsWith($"{path}(6,{column}): error FTC0002:", line);
        Assert.Contains("Math.Floor", line);
    }

    [Fact]
    public void CSharpSyntaxErrorsAreReportedAsCompilerDiagnostics()
    {
        string path = Write("Broken.cs", "using FieldTheory;\n[Network] public static partial class Broken { [Activation] static double Phi(double h) => h }\n");

        var error = Assert.Throws<ModelCompilationException>(() => ModelCompiler.CompileFile(path));

        Assert.Contains(error.Diagnostics, d => d.StartsWith($"{path}(2,", StringComparison.Ordinal) && d.Contains("error CS1002"));
    }

    [Fact]
    public void MissingFileAndFileWithoutModelsGiveClearMessages()
    {
        string missing = Path.Combine(_directory, "absent.cs");
        Assert.Contains(missing, Assert.Throws<ModelCompilationException>(() => ModelCompiler.CompileFile(missing)).Message);

        string empty = Write("Empty.cs", "public static class NotAModel { }");
        Assert.Contains("declares no [Network] model", Assert.Throws<ModelCompilationException>(() => ModelCompiler.CompileFile(empty)).Message);
    }

    private string Write(string name, string source)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, source);
        return path;
    }

    private sealed class ActivationTypeName : INetworkModelVisitor<string>
    {
        public string Visit<TActivation>(NetworkModel<TActivation> model)
            where TActivation : struct, IActivation => typeof(TActivation).FullName!;
    }
}
