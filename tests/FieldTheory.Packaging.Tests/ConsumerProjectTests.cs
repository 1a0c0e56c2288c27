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
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            using System.Globalization;
            using FieldTheory;

            NetworkModel model = ModelCatalogue.ModelsIn(typeof(ScaledSine).Assembly).Single();
            ActivationJet jet = model.Jet(0.4);
            Console.WriteLine(string.Join(" ", new object[] { model.Name, model.HiddenLayers, model.Info.Activation.Smoothness,
                jet.Value.ToString("R", CultureInfo.InvariantCulture), jet.D1.ToString("R", CultureInfo.InvariantCulture),
                jet.D3.ToString("R", CultureInfo.InvariantCulture) }));

            [Network(HiddenLayers = 2)]
            public static partial class ScaledSine
            {
                const double Frequency = 1.3;

                [Activation] static double Phi(double h) => Math.Sin(Frequency * h) / Frequency;
            }
            """);

        string output = DotNet.Run(project, "run", "--disable-build-servers").Trim();

        string[] fields = output.Split(' ');
        Assert.Equal(["ScaledSine", "2", "Smooth"], fields[..3]);
        double value = double.Parse(fields[3], CultureInfo.InvariantCulture);
        double d1 = double.Parse(fields[4], CultureInfo.InvariantCulture);
        double d3 = double.Parse(fields[5], CultureInfo.InvariantCulture);
        Assert.Equal(Math.Sin(1.3 * 0.4) / 1.3, value, 1e-15);
        Assert.Equal(Math.Cos(1.3 * 0.4), d1, 1e-15);
        Assert.Equal(-1.3 * 1.3 * Math.Cos(1.3 * 0.4), d3, 1e-14);
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
