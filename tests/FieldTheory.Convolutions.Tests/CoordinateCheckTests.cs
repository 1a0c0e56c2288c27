using FieldTheory.Models;

namespace FieldTheory.Convolutions.Tests;

/// <summary>
/// muP coordinate check: at fixed gamma0 the ensemble-mean change of the outputs over a few steps,
/// mean_m [f_mu(n) - f_mu(0)], has a width-independent limit (corrections O(1/N)); under the standard
/// parameterisation it would grow like N. Tolerance: 3 standard errors of the difference.
/// </summary>
public sealed class CoordinateCheckTests
{
    [Fact]
    public void Mean_output_change_is_the_same_at_two_widths()
    {
        CnnImages images = TestImages.Random(TestImages.Small.Input, train: 4, test: 2, seed: 9);
        var model = new ConvolutionalModel(TestImages.Small, BuiltInModels.Catalogue.Get("TwoLayerTanh"));
        const int members = 200, steps = 4;

        (double[] narrow, double[] narrowSe) = MeanChange(model, images, width: 32, members, steps);
        (double[] wide, double[] wideSe) = MeanChange(model, images, width: 128, members, steps);

        for (int mu = 0; mu < narrow.Length; mu++)
        {
            double se = Math.Sqrt((narrowSe[mu] * narrowSe[mu]) + (wideSe[mu] * wideSe[mu]));
            Assert.True(Math.Abs(narrow[mu] - wide[mu]) < 3 * se, $"point {mu}: N = 32 {narrow[mu]:G4} +- {narrowSe[mu]:G2}, N = 128 {wide[mu]:G4} +- {wideSe[mu]:G2}");
            Assert.True(Math.Abs(wide[mu]) > 3 * wideSe[mu], $"point {mu}: the outputs should move measurably ({wide[mu]:G4} +- {wideSe[mu]:G2})");
        }
    }

    private static (double[] Mean, double[] StdErr) MeanChange(ConvolutionalModel model, CnnImages images, int width, int members, int steps)
    {
        CnnEnsembleResult result = CnnEnsemble.Train(model, images, new CnnTrainingSettings(width, members, Gamma0: 1.0, Eta: 0.1, Steps: steps, Seed: 4));
        int p = images.Data.Count;
        var mean = new double[p];
        var se = new double[p];
        for (int mu = 0; mu < p; mu++)
        {
            double[] change = Enumerable.Range(0, members).Select(m => result.TrainOutput(m, 1)[mu] - result.TrainOutput(m, 0)[mu]).ToArray();
            mean[mu] = change.Average();
            se[mu] = Math.Sqrt(change.Sum(c => (c - mean[mu]) * (c - mean[mu])) / (members - 1) / members);
        }

        return (mean, se);
    }
}
