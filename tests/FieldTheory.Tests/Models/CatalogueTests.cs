using FieldTheory.Models;

namespace FieldTheory.Tests.Models;

/// <summary>The catalogue holds the models the project promises, with the metadata the compiler should find.</summary>
public sealed class CatalogueTests
{
    [Theory]
    [InlineData("TwoLayerTanh", 1, Smoothness.Smooth, GaussianFamily.General)]
    [InlineData("TwoLayerRelu", 1, Smoothness.Piecewise, GaussianFamily.ReluLike)]
    [InlineData("TwoLayerErf", 1, Smoothness.Smooth, GaussianFamily.Erf)]
    [InlineData("TwoLayerLinear", 1, Smoothness.Smooth, GaussianFamily.Linear)]
    [InlineData("DeepTanh", 3, Smoothness.Smooth, GaussianFamily.General)]
    [InlineData("DeepRelu", 3, Smoothness.Piecewise, GaussianFamily.ReluLike)]
    [InlineData("DeepLinear", 3, Smoothness.Smooth, GaussianFamily.Linear)]
    [InlineData("Gelu", 1, Smoothness.Smooth, GaussianFamily.General)]
    [InlineData("Softplus", 1, Smoothness.Smooth, GaussianFamily.General)]
    [InlineData("Cubic", 1, Smoothness.Smooth, GaussianFamily.Polynomial)]
    [InlineData("LeakyRelu", 1, Smoothness.Piecewise, GaussianFamily.ReluLike)]
    public void ModelHasExpectedMetadata(string name, int hiddenLayers, Smoothness smoothness, GaussianFamily family)
    {
        NetworkModel model = BuiltInModels.Catalogue.Get(name);

        Assert.Equal(name, model.Name);
        Assert.Equal(hiddenLayers, model.HiddenLayers);
        Assert.Equal(smoothness, model.Info.Activation.Smoothness);
        Assert.Equal(family, model.Info.Activation.Family);
    }

    [Theory]
    [InlineData("TwoLayerRelu", 0.0, 1.0)]
    [InlineData("LeakyRelu", 0.1, 1.0)]
    public void ReluLikeModelsRecordTheirSlopesAndTheKinkAtZero(string name, double negativeSlope, double positiveSlope)
    {
        ActivationInfo a = BuiltInModels.Catalogue.Get(name).Info.Activation;

        Assert.Equal([0.0], a.Kinks);
        Assert.Equal([negativeSlope, positiveSlope], a.FamilyParameters);
    }

    [Fact]
    public void CubicRecordsItsCoefficientsWithTheConstantInlined()
    {
        ActivationInfo a = BuiltInModels.Catalogue.Get("Cubic").Info.Activation;

        Assert.Equal([0.0, 1.0, 0.0, 0.1], a.FamilyParameters);
    }

    [Fact]
    public void LookupIgnoresCaseAndUnknownNamesListTheCatalogue()
    {
        Assert.Same(BuiltInModels.Catalogue.Get("TwoLayerTanh"), BuiltInModels.Catalogue.Get("twolayertanh"));

        var error = Assert.Throws<KeyNotFoundException>(() => BuiltInModels.Catalogue.Get("NoSuchModel"));
        Assert.Contains("TwoLayerTanh", error.Message);
    }

    [Fact]
    public void ModelsAreOrderedByName()
    {
        string[] names = [.. BuiltInModels.Catalogue.Models.Select(m => m.Name)];

        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.True(names.Length >= 11);
    }
}
