using FieldTheory.Data;
using FieldTheory.Models;
using Xunit.Abstractions;

namespace FieldTheory.Convolutions.Tests;

/// <summary>
/// The exact probe NTK: it equals gamma0^2 N times the dot product of the reference network's explicit parameter
/// gradients, and it predicts one gradient step to first order, f(t+1) - f(t) = eta K Delta + O(eta^2).
/// </summary>
public sealed class ProbeNtkTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("TwoLayerTanh", true, 0)]
    [InlineData("TwoLayerTanh", false, 0)]
    [InlineData("TwoLayerRelu", true, 0)]
    [InlineData("TwoLayerTanh", true, 3)]
    [InlineData("TwoLayerRelu", false, 3)]
    public void Probe_ntk_is_the_parameter_gradient_dot_product(string activationModel, bool useBlas, int oneHotClasses)
    {
        NetworkModel activation = BuiltInModels.Catalogue.Get(activationModel);
        var model = new ConvolutionalModel(TestImages.Small, activation);
        bool oneHot = oneHotClasses > 0;
        CnnImages images = oneHot
            ? TestImages.RandomClasses(TestImages.Small.Input, train: 5, test: 4, oneHotClasses, seed: 7)
            : TestImages.Random(TestImages.Small.Input, train: 5, test: 4, seed: 7);
        var settings = new CnnTrainingSettings(Width: 3, Members: 2, Gamma0: 0.8, Eta: 0.05, Steps: 3, Seed: 4, RecordEvery: 1, NtkProbe: 3,
            Targets: oneHot ? CnnTargets.OneHot : CnnTargets.PlusMinusOne);

        CnnEnsembleResult result = CnnEnsemble.Train(model, images, settings, useBlas, threads: 2, CancellationToken.None);

        int d = TestImages.Small.Input.Values, outputs = result.Outputs, rows = settings.NtkProbe * outputs, n = settings.Width;
        int[] all = Enumerable.Range(0, images.Data.Count).ToArray();
        double largest = 0.0, scale = 0.0;
        for (int m = 0; m < settings.Members; m++)
        {
            var reference = new ReferenceCnn(TestImages.Small.WithWidth(n), activation.Phi, h => activation.Jet(h).D1, settings.Gamma0, settings.Seed, m, outputs);
            for (int r = 0; r < result.RecordedSteps.Length; r++)
            {
                double[][] gradients = Enumerable.Range(0, rows).Select(a => reference.Gradient(images.Data.TestX[(a / outputs * d)..(((a / outputs) + 1) * d)], a % outputs)).ToArray();
                for (int a = 0; a < rows; a++)
                {
                    for (int b = 0; b < rows; b++)
                    {
                        double expected = settings.Gamma0 * settings.Gamma0 * n * gradients[a].Zip(gradients[b], (u, v) => u * v).Sum();
                        largest = Math.Max(largest, Math.Abs(expected - result.Ntk(m, r)[(a * rows) + b]));
                        scale = Math.Max(scale, Math.Abs(expected));
                    }
                }

                reference.Step(images.Data.X, result.TrainTargets, all, settings.Eta, 1.0);
            }
        }

        output.WriteLine($"largest |K - gamma0^2 N g.g'| = {largest:E3}, largest |K| = {scale:F3}");
        Assert.True(scale > 0.1, $"the kernel should be O(1), largest entry {scale:E3}");
        Assert.True(largest < 1e-10, $"largest deviation {largest:E3}");
    }

    [Theory]
    [InlineData("TwoLayerTanh", 0)]
    [InlineData("TwoLayerRelu", 0)]
    [InlineData("TwoLayerTanh", 3)]
    public void One_step_changes_the_outputs_by_eta_K_Delta_to_second_order(string activationModel, int oneHotClasses)
    {
        var model = new ConvolutionalModel(TestImages.Small, BuiltInModels.Catalogue.Get(activationModel));
        bool oneHot = oneHotClasses > 0;
        CnnImages train = oneHot
            ? TestImages.RandomClasses(TestImages.Small.Input, train: 5, test: 1, oneHotClasses, seed: 3)
            : TestImages.Random(TestImages.Small.Input, train: 5, test: 1, seed: 3);

        // Probe the training images themselves: they are also the test images.
        Dataset data = train.Data;
        var images = new CnnImages(new Dataset(data.Dimension, data.X, data.Y, data.X, data.Y, "train = test"), train.Shape)
        {
            TrainLabels = train.TrainLabels,
            TestLabels = train.TrainLabels,
            ClassCount = train.ClassCount,
        };

        double Error(double eta)
        {
            var settings = new CnnTrainingSettings(Width: 4, Members: 2, Gamma0: 1.0, Eta: eta, Steps: 1, Seed: 9, NtkProbe: data.Count,
                Targets: oneHot ? CnnTargets.OneHot : CnnTargets.PlusMinusOne);
            CnnEnsembleResult result = CnnEnsemble.Train(model, images, settings, useBlas: true, threads: 2, CancellationToken.None);
            int rows = result.ProbeRows;
            double largest = 0.0;
            for (int m = 0; m < settings.Members; m++)
            {
                ReadOnlySpan<double> before = result.TestOutput(m, 0), after = result.TestOutput(m, 1), k = result.Ntk(m, 0);
                for (int a = 0; a < rows; a++)
                {
                    double predicted = 0.0;
                    for (int b = 0; b < rows; b++)
                    {
                        predicted += eta * k[(a * rows) + b] * (result.TrainTargets[b] - before[b]);
                    }

                    largest = Math.Max(largest, Math.Abs(after[a] - before[a] - predicted));
                }
            }

            return largest;
        }

        double coarse = Error(0.02), fine = Error(0.01), finer = Error(0.005);
        output.WriteLine($"max |df - eta K Delta| at eta = 0.02, 0.01, 0.005: {coarse:E3}, {fine:E3}, {finer:E3} (ratios {coarse / fine:F3}, {fine / finer:F3})");

        // Second order: halving eta divides the remainder by 4 (3.5 .. 4.5 leaves room for the O(eta^3) term).
        Assert.InRange(coarse / fine, 3.5, 4.5);
        Assert.InRange(fine / finer, 3.5, 4.5);
        Assert.True(finer > 1e-12, $"the remainder {finer:E3} should be far above rounding");
    }

    [Theory]
    [InlineData(false, true, 0)]
    [InlineData(false, false, 0)]
    [InlineData(false, true, 3)]
    [InlineData(true, false, 3)]
    public void The_ilgpu_engine_computes_the_same_probe_ntk(bool useBlas, bool ilgpuOnly, int oneHotClasses)
    {
        var model = new ConvolutionalModel(TestImages.Small, BuiltInModels.Catalogue.Get("TwoLayerTanh"));
        bool oneHot = oneHotClasses > 0;
        CnnImages images = oneHot
            ? TestImages.RandomClasses(TestImages.Small.Input, train: 5, test: 4, oneHotClasses, seed: 7)
            : TestImages.Random(TestImages.Small.Input, train: 5, test: 4, seed: 7);
        var settings = new CnnTrainingSettings(Width: 3, Members: 3, Gamma0: 0.8, Eta: 0.05, Steps: 3, Seed: 4, RecordEvery: 1, NtkProbe: 3,
            Targets: oneHot ? CnnTargets.OneHot : CnnTargets.PlusMinusOne);
        using var device = Compute.ComputeDevice.Create("cpu");

        CnnEnsembleResult cpu = CnnEnsemble.Train(model, images, settings, useBlas: false, threads: 2, CancellationToken.None);
        CnnEnsembleResult ilgpu = CnnEnsemble.TrainOnDevice(model, images, settings, device, useBlas, ilgpuOnly, CancellationToken.None);

        Assert.Equal(cpu.ProbeRows, ilgpu.ProbeRows);
        Assert.Equal(cpu.ProbeNtk.Length, ilgpu.ProbeNtk.Length);
        double largest = cpu.ProbeNtk.Zip(ilgpu.ProbeNtk, (a, b) => Math.Abs(a - b)).Max();
        double scale = cpu.ProbeNtk.Max(Math.Abs);
        double outputs = cpu.TestOutputs.Zip(ilgpu.TestOutputs, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"largest |K_ilgpu - K_cpu| = {largest:E3}, largest |K| = {scale:F3}, largest output deviation {outputs:E3}");
        Assert.True(scale > 0.1, $"the kernel should be O(1), largest entry {scale:E3}");
        Assert.True(largest < 1e-12, $"largest deviation {largest:E3}");
        Assert.True(outputs < 1e-12, $"largest output deviation {outputs:E3}");
    }

    [Fact]
    public void Sweep_reports_the_ensemble_mean_and_scaled_variance_of_the_probe_ntk()
    {
        var model = new ConvolutionalModel(TestImages.Small, BuiltInModels.Catalogue.Get("TwoLayerTanh"));
        CnnImages images = TestImages.Random(TestImages.Small.Input, train: 4, test: 3, seed: 8);
        var sweep = new CnnBiasVarianceSettings([2, 4], Members: 6, Gamma0: 1.0, Eta: 0.05, Steps: 2, Seed: 2, RecordEvery: 1, NtkProbe: 2);

        CnnBiasVarianceResult result = CnnBiasVariance.Run(model, images, sweep);
        CnnEnsembleResult ensemble = CnnEnsemble.Train(model, images, sweep.AtWidth(4));

        Assert.NotNull(result.ProbeNtk);
        ProbeNtkStatistics last = result.ProbeNtk[1][^1];
        double[] diagonal = Enumerable.Range(0, 6).Select(m => (ensemble.Ntk(m, 2)[0] + ensemble.Ntk(m, 2)[3]) / 2).ToArray();
        double mean = diagonal.Average();
        double variance = diagonal.Sum(v => (v - mean) * (v - mean)) / 5;
        double[] entry01 = Enumerable.Range(0, 6).Select(m => ensemble.Ntk(m, 2)[1]).ToArray();
        double entryMean = entry01.Average();
        Assert.Equal(4, last.Width);
        Assert.Equal(2, last.Step);
        Assert.Equal(mean, last.MeanDiagonal.Value, 1e-12);
        Assert.Equal(4 * variance, last.MeanDiagonalNVariance.Value, 1e-10);
        Assert.Equal(entryMean, last.Mean[0][1], 1e-12);
        Assert.Equal(4 * entry01.Sum(v => (v - entryMean) * (v - entryMean)) / 5, last.NVariance[0][1], 1e-10);
        Assert.True(last.MeanDiagonalNVariance.StdErr > 0 && last.MeanDiagonal.StdErr > 0);
    }
}
