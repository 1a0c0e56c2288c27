using System.Globalization;

namespace FieldTheory.Packaging.Tests;

/// <summary>A project that references only the FieldTheory package gets its own [Network] types compiled and usable.</summary>
[Collection(PackagesCollection.Name)]
public sealed class ConsumerProjectTests(PackagesFixture packages)
{
    [Fact]
    public void ConsumerDeclaresAModelTheCatalogueDoesNotHaveAndUsesIt()
    {
        string project = Directory.CreateDirectory(Path.Combine(packages.Root, "consumer")).FullName;
        File.Copy(packages.NuGetConfig, Path.Combine(project, "nuget.config"), overwrite: true);
        File.WriteAllText(Path.Combine(project, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="FieldTheory" Version="{packages.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), """"
            using System.Globalization;
            using FieldTheory;
            using FieldTheory.Experiments;
            using FieldTheory.Results;

            NetworkModel model = ModelCatalogue.ModelsIn(typeof(ScaledSine).Assembly).Single(m => m.Name == "ScaledSine");
            ActivationJet jet = model.Jet(0.4);
            Console.WriteLine(string.Join(" ", new object[] { model.Name, model.HiddenLayers, model.Info.Activation.Smoothness,
                jet.Value.ToString("R", CultureInfo.InvariantCulture), jet.D1.ToString("R", CultureInfo.InvariantCulture),
                jet.D3.ToString("R", CultureInfo.InvariantCulture) }));

            // A short theory and ensemble of the consumer's own two-layer model through the public facade (docs/public-api.md):
            // experiment JSON in, the model looked up in this assembly's catalogue, the result through its JSON schema and back.
            Experiment experiment = ExperimentParser.Parse("""
                {
                  "model": "ScaledSineTwoLayer",
                  "data": { "kind": "scalar", "x": 1.0, "y": 1.0 },
                  "gamma0": 1.0, "eta": 0.1, "steps": 20,
                  "ensemble": { "width": 64, "members": 400, "seed": 3, "device": "cpu" },
                  "theory": { "sites": 4096, "integration": "auto", "seed": 1 }
                }
                """);
            ModelCatalogue catalogue = ModelCatalogue.FromAssemblies(typeof(ScaledSineTwoLayer).Assembly);
            ExperimentResult result = ResultJson.Deserialize(ResultJson.Serialize(ExperimentRunner.Run(experiment, catalogue)));
            Console.WriteLine(string.Join(" ", new[] {
                result.Theory!.Mean.Delta[0][0], result.Theory.Mean.Delta[20][0], result.Theory.Mean.FeatureKernel![0][0][0][0],
                result.Ensemble!.Mean.Delta[20][0], result.Ensemble.MeanStdErr.Delta[20][0], result.Ensemble.Nvar.Delta[0][0], result.Ensemble.NvarStdErr.Delta[0][0] }
                .Select(v => v.ToString("R", CultureInfo.InvariantCulture))));

            [Network(HiddenLayers = 1)]
            public static partial class ScaledSineTwoLayer
            {
                [Activation] static double Phi(double h) => Math.Sin(1.3 * h) / 1.3;
            }

            [Network(HiddenLayers = 2)]
            public static partial class ScaledSine
            {
                const double Frequency = 1.3;

                [Activation] static double Phi(double h) => Math.Sin(Frequency * h) / Frequency;
            }
            """");

        string[] lines = DotNet.Run(project, "run", "--disable-build-servers").Trim().Split('\n');

        string[] fields = lines[0].Trim().Split(' ');
        Assert.Equal(["ScaledSine", "2", "Smooth"], fields[..3]);
        double value = double.Parse(fields[3], CultureInfo.InvariantCulture);
        double d1 = double.Parse(fields[4], CultureInfo.InvariantCulture);
        double d3 = double.Parse(fields[5], CultureInfo.InvariantCulture);
        Assert.Equal(Math.Sin(1.3 * 0.4) / 1.3, value, 1e-15);
        Assert.Equal(Math.Cos(1.3 * 0.4), d1, 1e-15);
        Assert.Equal(-1.3 * 1.3 * Math.Cos(1.3 * 0.4), d3, 1e-14);

        // Theory and ensemble of the consumer's model: training lowers the error, the ensemble mean follows the theory
        // (4 standard errors plus an O(1/N) allowance of 0.05 at N = 64), and N Var f(0) = Phi(0,0)/gamma0^2 exactly.
        double[] numbers = [.. lines[1].Trim().Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
        (double theory0, double theoryT, double phi00, double ensembleT, double seT, double nvar0, double seNvar0) =
            (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5], numbers[6]);
        Assert.Equal(1.0, theory0, 1e-12);
        Assert.True(theoryT < 0.5 * theory0, $"theory Delta(T) = {theoryT}");
        Assert.True(Math.Abs(ensembleT - theoryT) <= (4 * seT) + 0.05, $"ensemble {ensembleT} ± {seT}, theory {theoryT}");
        Assert.True(Math.Abs(nvar0 - phi00) <= 4 * seNvar0, $"N Var Delta(0) {nvar0} ± {seNvar0}, Phi(0,0) {phi00}");
    }

    [Fact]
    public void ConsumerGetsTheSameDiagnostics()
    {
        string project = Directory.CreateDirectory(Path.Combine(packages.Root, "broken-consumer")).FullName;
        File.Copy(packages.NuGetConfig, Path.Combine(project, "nuget.config"), overwrite: true);
        File.WriteAllText(Path.Combine(project, "Broken.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup><PackageReference Include="FieldTheory" Version="{packages.Version}" /></ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Model.cs"), """
            using FieldTheory;

            [Network]
            public static partial class Rounded
            {
                [Activation] static double Phi(double h) => System.Math.Round(h);
            }
            """);

        var failure = Assert.Throws<InvalidOperationException>(() => DotNet.Run(project, "build", "--disable-build-servers"));

        Assert.Contains("Model.cs(6,49): error FTC0002", failure.Message);
    }
}
