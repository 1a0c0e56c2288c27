using FieldTheory.Generators.Tests.Infrastructure;

namespace FieldTheory.Generators.Tests.Integration;

/// <summary>Compiles and runs the generated code of the built-in models: catalogue discovery, metadata and the jet.</summary>
public sealed class CatalogueIntegrationTests
{
    private static readonly double[] SmoothPoints = [-2.3, -0.7, 0.4, 1.9];

    public static TheoryData<string> ModelNames => CatalogueSources.ModelNameData();

    [Fact]
    public void ModelCatalogue_finds_every_declared_model()
    {
        IReadOnlyList<NetworkModel> models = ModelCatalogue.ModelsIn(CompiledCatalogue.Assembly);

        Assert.Equal(CatalogueSources.ModelNames.Order(StringComparer.Ordinal), models.Select(m => m.Name).Order(StringComparer.Ordinal));
        Assert.All(models, m => Assert.Equal("FieldTheory.Models." + m.Name, m.Info.TypeName));
    }

    [Theory]
    [InlineData("TwoLayerTanh", 1)]
    [InlineData("DeepTanh", 3)]
    [InlineData("DeepLinear", 3)]
    [InlineData("Cubic", 1)]
    public void Hidden_layers_come_from_the_attribute(string name, int hiddenLayers)
    {
        Assert.Equal(hiddenLayers, CompiledCatalogue.Model(name).HiddenLayers);
    }

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void Jet_derivatives_match_finite_differences_of_the_value(string name)
    {
        NetworkModel model = CompiledCatalogue.Model(name);
        foreach (double h in SmoothPoints)
        {
            ActivationJet jet = model.Jet(h);
            Assert.Equal(model.Phi(h), jet.Value, 14);
            Assert.Equal(model.Accept(new DerivativeProbe(h)), jet.D1, 14);
            FiniteDifference.AssertDerivative(model.Phi, jet.D1, h, name + " phi'");
            FiniteDifference.AssertDerivative(x => model.Jet(x).D1, jet.D2, h, name + " phi''");
            FiniteDifference.AssertDerivative(x => model.Jet(x).D2, jet.D3, h, name + " phi'''");
        }
    }

    [Fact]
    public void Tanh_jet_matches_the_closed_forms()
    {
        NetworkModel model = CompiledCatalogue.Model("TwoLayerTanh");
        foreach (double h in SmoothPoints)
        {
            double t = Math.Tanh(h);
            double s = 1 - (t * t);
            AssertJet(model.Jet(h), t, s, -2 * t * s, s * ((6 * t * t) - 2));
        }
    }

    [Fact]
    public void Erf_jet_matches_the_closed_forms()
    {
        NetworkModel model = CompiledCatalogue.Model("TwoLayerErf");
        foreach (double h in SmoothPoints)
        {
            double g = 2 / Math.Sqrt(Math.PI) * Math.Exp(-h * h);
            AssertJet(model.Jet(h), SpecialFunctions.Erf(h), g, -2 * h * g, ((4 * h * h) - 2) * g);
        }
    }

    [Fact]
    public void Cubic_jet_matches_the_closed_forms()
    {
        NetworkModel model = CompiledCatalogue.Model("Cubic");
        foreach (double h in SmoothPoints)
        {
            AssertJet(model.Jet(h), h + (0.1 * h * h * h), 1 + (0.3 * h * h), 0.6 * h, 0.6);
        }
    }

    [Fact]
    public void Softplus_jet_matches_the_logistic_function_on_both_branches()
    {
        NetworkModel model = CompiledCatalogue.Model("Softplus");
        foreach (double h in SmoothPoints.Append(30.0).Append(-30.0))
        {
            double sigma = 1 / (1 + Math.Exp(-h));
            AssertJet(model.Jet(h), Math.Log(1 + Math.Exp(h)), sigma, sigma * (1 - sigma), sigma * (1 - sigma) * (1 - (2 * sigma)));
        }
    }

    [Fact]
    public void Gelu_jet_matches_the_closed_forms()
    {
        NetworkModel model = CompiledCatalogue.Model("Gelu");
        foreach (double h in SmoothPoints)
        {
            double cdf = 0.5 * (1 + SpecialFunctions.Erf(h / Math.Sqrt(2)));
            double pdf = Math.Exp(-h * h / 2) / Math.Sqrt(2 * Math.PI);
            AssertJet(model.Jet(h), h * cdf, cdf + (h * pdf), (2 - (h * h)) * pdf, ((h * h * h) - (4 * h)) * pdf);
        }
    }

    [Theory]
    [InlineData("TwoLayerRelu", 0.0)]
    [InlineData("DeepRelu", 0.0)]
    [InlineData("LeakyRelu", 0.1)]
    public void Relu_like_jets_are_piecewise_linear_with_the_declared_slopes(string name, double negativeSlope)
    {
        NetworkModel model = CompiledCatalogue.Model(name);
        foreach (double h in SmoothPoints)
        {
            double slope = h > 0 ? 1.0 : negativeSlope;
            AssertJet(model.Jet(h), slope * h, slope, 0, 0);
        }

        Assert.Equal(Smoothness.Piecewise, model.Info.Activation.Smoothness);
        Assert.Equal([0.0], model.Info.Activation.Kinks);
        Assert.Equal(GaussianFamily.ReluLike, model.Info.Activation.Family);
        Assert.Equal([negativeSlope, 1.0], model.Info.Activation.FamilyParameters);
    }

    [Fact]
    public void Metadata_of_smooth_models_names_their_families()
    {
        Assert.Equal(GaussianFamily.General, CompiledCatalogue.Model("TwoLayerTanh").Info.Activation.Family);
        Assert.Equal(GaussianFamily.Linear, CompiledCatalogue.Model("TwoLayerLinear").Info.Activation.Family);
        Assert.Equal(GaussianFamily.Erf, CompiledCatalogue.Model("TwoLayerErf").Info.Activation.Family);
        Assert.Equal(GaussianFamily.Polynomial, CompiledCatalogue.Model("Cubic").Info.Activation.Family);
        Assert.Equal(Smoothness.Smooth, CompiledCatalogue.Model("Softplus").Info.Activation.Smoothness);
        Assert.Equal("Math.Tanh(h)", CompiledCatalogue.Model("TwoLayerTanh").Info.Activation.Source);
    }

    private static void AssertJet(ActivationJet jet, double value, double d1, double d2, double d3)
    {
        AssertClose(value, jet.Value, "phi");
        AssertClose(d1, jet.D1, "phi'");
        AssertClose(d2, jet.D2, "phi''");
        AssertClose(d3, jet.D3, "phi'''");
    }

    // Closed forms and generated code round differently: allow a few hundred ulps of the larger magnitude.
    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(
            Math.Abs(expected - actual) <= 1e-13 * Math.Max(1.0, Math.Abs(expected)),
            $"{what}: expected {expected:R}, generated {actual:R}");
}
