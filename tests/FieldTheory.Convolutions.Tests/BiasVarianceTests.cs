using FieldTheory.Models;

namespace FieldTheory.Convolutions.Tests;

/// <summary>
/// The claim of the CNN reproduction on Fashion-MNIST (trouser vs T-shirt): at fixed gamma0 both the bias (loss of the
/// ensemble-mean predictor) and the variance over initialisations of the test loss decrease with width. Decrease is
/// asserted with standard errors: the smallest width exceeds the largest by more than 2 SE of the difference, and no
/// step to a larger width increases either by more than 2 SE.
/// </summary>
public sealed class BiasVarianceTests
{
    [Fact]
    public void Quick_run_bias_and_variance_decrease_with_width()
    {
        CnnImages images = CnnData.Load(CnnData.QuickFashionMnist);
        CnnBiasVarianceResult result = CnnBiasVariance.Run(FashionCnn.Convolutional, images, CnnBiasVarianceSettings.Quick with { Members = 64 });

        AssertDecreases(result.Final.Select(p => p.Bias).ToArray(), "bias");
        AssertDecreases(result.Final.Select(p => p.Variance).ToArray(), "variance");
    }

    [FullFact]
    public void Full_run_bias_and_variance_decrease_with_width()
    {
        CnnImages images = CnnData.Load(CnnData.FashionMnist(train: 64, test: 64, seed: 1, firstClass: 0, secondClass: 1));
        var settings = new CnnBiasVarianceSettings([4, 8, 16], Members: 300, Gamma0: 1.0, Eta: 0.015, Steps: 48, RecordEvery: 8);
        CnnBiasVarianceResult result = CnnBiasVariance.Run(FashionCnn.Convolutional, images, settings);

        AssertDecreases(result.Final.Select(p => p.Bias).ToArray(), "bias");
        AssertDecreases(result.Final.Select(p => p.Variance).ToArray(), "variance");
        Assert.True(result.VarianceFit.B.Value > 2 * result.VarianceFit.B.StdErr, $"variance slope {result.VarianceFit.B}");
    }

    [Fact]
    public void Bias_plus_variance_is_the_mean_member_loss()
    {
        CnnImages images = TestImages.Random(TestImages.Small.Input, train: 5, test: 7, seed: 2);
        var model = new ConvolutionalModel(TestImages.Small, BuiltInModels.Catalogue.Get("TwoLayerTanh"));
        CnnEnsembleResult ensemble = CnnEnsemble.Train(model, images, new CnnTrainingSettings(Width: 4, Members: 9, Gamma0: 1, Eta: 0.05, Steps: 3));

        BiasVarianceDecomposition d = BiasVarianceDecomposition.Of(ensemble, 1);

        double direct = 0;
        for (int m = 0; m < 9; m++)
        {
            for (int j = 0; j < 7; j++)
            {
                double r = images.Data.TestY![j] - ensemble.TestOutput(m, 1)[j];
                direct += r * r / (9 * 7);
            }
        }

        Assert.Equal(direct, d.Bias.Value + d.Variance.Value, 1e-12);
        Assert.Equal(direct, d.MemberLoss.Value, 1e-12);
    }

    [Fact]
    public void One_hot_losses_sum_over_outputs_and_errors_use_the_argmax()
    {
        CnnImages images = TestImages.RandomClasses(TestImages.Small.Input, train: 6, test: 7, classes: 3, seed: 4);
        var model = new ConvolutionalModel(TestImages.Small, BuiltInModels.Catalogue.Get("TwoLayerTanh"));
        var settings = new CnnTrainingSettings(Width: 4, Members: 9, Gamma0: 1, Eta: 0.05, Steps: 3, Targets: CnnTargets.OneHot);
        CnnEnsembleResult ensemble = CnnEnsemble.Train(model, images, settings);

        BiasVarianceDecomposition d = BiasVarianceDecomposition.Of(ensemble, 1);

        static int ArgMax(double[] v) => Array.IndexOf(v, v.Max());
        double loss = 0, memberError = 0, ensembleError = 0;
        for (int j = 0; j < 7; j++)
        {
            var mean = new double[3];
            for (int m = 0; m < 9; m++)
            {
                double[] f = ensemble.TestOutput(m, 1).Slice(j * 3, 3).ToArray();
                for (int c = 0; c < 3; c++)
                {
                    double y = images.TestLabels![j] == c ? 1.0 : 0.0;
                    loss += (y - f[c]) * (y - f[c]) / (9 * 7);
                    mean[c] += f[c] / 9;
                }

                memberError += ArgMax(f) != images.TestLabels![j] ? 1.0 / (9 * 7) : 0.0;
            }

            ensembleError += ArgMax(mean) != images.TestLabels![j] ? 1.0 / 7 : 0.0;
        }

        Assert.Equal(loss, d.Bias.Value + d.Variance.Value, 1e-12);
        Assert.Equal(loss, d.MemberLoss.Value, 1e-12);
        Assert.Equal(memberError, d.MemberError.Value, 1e-12);
        Assert.Equal(ensembleError, d.EnsembleError, 1e-12);
    }

    [Fact]
    public void Inverse_width_fit_recovers_an_exact_line_and_weights_by_errors()
    {
        InverseWidthFit exact = InverseWidthFit.Fit([4, 8, 16], [new(2 + (3.0 / 4), 0.1), new(2 + (3.0 / 8), 0.1), new(2 + (3.0 / 16), 0.1)]);
        Assert.Equal(2.0, exact.A.Value, 1e-12);
        Assert.Equal(3.0, exact.B.Value, 1e-12);
        Assert.Equal(0.0, exact.ChiSquared, 1e-20);

        // Two points: the line through them; the intercept's error follows from linear error propagation.
        InverseWidthFit two = InverseWidthFit.Fit([1, 2], [new(1.0, 0.3), new(0.0, 0.4)]);
        Assert.Equal(-1.0, two.A.Value, 1e-12);
        Assert.Equal(Math.Sqrt((0.3 * 0.3) + (4 * 0.4 * 0.4)), two.A.StdErr, 1e-12);
    }

    private static void AssertDecreases(Estimate[] values, string name)
    {
        string all = string.Join(", ", values);
        double overall = values[0].Value - values[^1].Value;
        double overallSe = Math.Sqrt((values[0].StdErr * values[0].StdErr) + (values[^1].StdErr * values[^1].StdErr));
        Assert.True(overall > 2 * overallSe, $"{name} should fall from the smallest to the largest width by more than 2 SE: {all}");
        for (int i = 1; i < values.Length; i++)
        {
            double rise = values[i].Value - values[i - 1].Value;
            double se = Math.Sqrt((values[i].StdErr * values[i].StdErr) + (values[i - 1].StdErr * values[i - 1].StdErr));
            Assert.True(rise < 2 * se, $"{name} rises by more than 2 SE between widths {i - 1} and {i}: {all}");
        }
    }
}
