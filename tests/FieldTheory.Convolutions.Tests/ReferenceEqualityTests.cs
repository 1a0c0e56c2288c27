using FieldTheory.Models;

namespace FieldTheory.Convolutions.Tests;

/// <summary>An ensemble member equals the plain reference network to 1e-12 after several steps (both GEMM paths).</summary>
public sealed class ReferenceEqualityTests
{
    private const double Tolerance = 1e-12;

    [Theory]
    [InlineData("TwoLayerTanh", true, null, 0)]
    [InlineData("TwoLayerTanh", false, null, 0)]
    [InlineData("TwoLayerRelu", true, null, 0)]
    [InlineData("TwoLayerTanh", true, 2, 0)]
    [InlineData("TwoLayerTanh", true, null, 3)]
    [InlineData("TwoLayerRelu", false, 2, 3)]
    public void Members_match_the_reference_network(string activationModel, bool useBlas, int? batch, int oneHotClasses)
    {
        NetworkModel activation = BuiltInModels.Catalogue.Get(activationModel);
        var model = new ConvolutionalModel(TestImages.Small, activation);
        bool oneHot = oneHotClasses > 0;
        CnnImages images = oneHot
            ? TestImages.RandomClasses(TestImages.Small.Input, train: 6, test: 3, oneHotClasses, seed: 5)
            : TestImages.Random(TestImages.Small.Input, train: 6, test: 3, seed: 5);
        var settings = new CnnTrainingSettings(Width: 3, Members: 3, Gamma0: 0.7, Eta: 0.05, Steps: 5, Seed: 11, Batch: batch, RecordEvery: 1,
            Targets: oneHot ? CnnTargets.OneHot : CnnTargets.PlusMinusOne);

        CnnEnsembleResult result = CnnEnsemble.Train(model, images, settings, useBlas, threads: 2, CancellationToken.None);

        int outputs = oneHot ? oneHotClasses : 1;
        double[] y = oneHot
            ? [.. images.TrainLabels!.SelectMany(l => Enumerable.Range(0, outputs).Select(c => c == l ? 1.0 : 0.0))]
            : images.Data.Y;
        Assert.Equal(outputs, result.Outputs);
        Assert.Equal(y, result.TrainTargets);
        int[][] batches = CnnEnsemble.BatchOrder(settings, images.Data.Count);
        double weight = (double)images.Data.Count / (batch ?? images.Data.Count);
        double largest = 0.0;
        for (int m = 0; m < settings.Members; m++)
        {
            var reference = new ReferenceCnn(TestImages.Small, activation.Phi, h => activation.Jet(h).D1, settings.Gamma0, settings.Seed, m, outputs);
            for (int n = 0; n <= settings.Steps; n++)
            {
                for (int j = 0; j < images.Data.TestCount; j++)
                {
                    double[] expected = reference.Outputs(images.Data.TestX[(j * 98)..((j + 1) * 98)]);
                    for (int c = 0; c < outputs; c++)
                    {
                        largest = Math.Max(largest, Math.Abs(expected[c] - result.TestOutput(m, n)[(j * outputs) + c]));
                    }
                }

                for (int mu = 0; mu < images.Data.Count; mu++)
                {
                    double[] expected = reference.Outputs(images.Data.X[(mu * 98)..((mu + 1) * 98)]);
                    for (int c = 0; c < outputs; c++)
                    {
                        largest = Math.Max(largest, Math.Abs(expected[c] - result.TrainOutput(m, n)[(mu * outputs) + c]));
                    }
                }

                if (n < settings.Steps)
                {
                    reference.Step(images.Data.X, y, batches[n], settings.Eta, weight);
                }
            }
        }

        Assert.True(largest < Tolerance, $"largest deviation {largest:E3}");
        Assert.True(result.TrainOutputs.Distinct().Count() > 10, "outputs should move during training");
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        var model = new ConvolutionalModel(TestImages.Small, BuiltInModels.Catalogue.Get("TwoLayerTanh"));
        CnnImages images = TestImages.Random(TestImages.Small.Input, train: 6, test: 3, seed: 5);
        var settings = new CnnTrainingSettings(Width: 4, Members: 5, Gamma0: 1.0, Eta: 0.05, Steps: 4, Seed: 3);

        CnnEnsembleResult one = CnnEnsemble.Train(model, images, settings, useBlas: true, threads: 1, CancellationToken.None);
        CnnEnsembleResult two = CnnEnsemble.Train(model, images, settings, useBlas: true, threads: 2, CancellationToken.None);

        Assert.Equal(one.TestOutputs, two.TestOutputs);
        Assert.Equal(one.TrainOutputs, two.TrainOutputs);
    }

    [Theory]
    [InlineData(true, false, null, 0)]
    [InlineData(false, false, null, 0)]
    [InlineData(false, true, null, 0)]
    [InlineData(false, true, 2, 0)]
    [InlineData(true, false, null, 3)]
    [InlineData(false, false, 2, 3)]
    [InlineData(false, true, null, 3)]
    [InlineData(false, true, 2, 3)]
    public void The_ilgpu_engine_matches_the_cpu_engine(bool useBlas, bool ilgpuOnly, int? batch, int oneHotClasses)
    {
        NetworkModel activation = BuiltInModels.Catalogue.Get("TwoLayerTanh");
        var model = new ConvolutionalModel(TestImages.Small, activation);
        bool oneHot = oneHotClasses > 0;
        CnnImages images = oneHot
            ? TestImages.RandomClasses(TestImages.Small.Input, train: 6, test: 3, oneHotClasses, seed: 5)
            : TestImages.Random(TestImages.Small.Input, train: 6, test: 3, seed: 5);
        var settings = new CnnTrainingSettings(Width: 5, Members: 4, Gamma0: 0.7, Eta: 0.05, Steps: 5, Seed: 11, Batch: batch, RecordEvery: 2,
            Targets: oneHot ? CnnTargets.OneHot : CnnTargets.PlusMinusOne);
        using var device = Compute.ComputeDevice.Create("cpu");

        CnnEnsembleResult cpu = CnnEnsemble.Train(model, images, settings, useBlas: false, threads: 2, CancellationToken.None);
        CnnEnsembleResult ilgpu = CnnEnsemble.TrainOnDevice(model, images, settings, device, useBlas, ilgpuOnly, CancellationToken.None);

        Assert.Equal(cpu.RecordedSteps, ilgpu.RecordedSteps);
        Assert.Equal(oneHot ? oneHotClasses : 1, ilgpu.Outputs);
        Assert.Equal(cpu.TrainTargets, ilgpu.TrainTargets);
        Assert.Equal(cpu.TestOutputs.Length, ilgpu.TestOutputs.Length);
        double largest = cpu.TrainOutputs.Zip(ilgpu.TrainOutputs, (a, b) => Math.Abs(a - b))
            .Concat(cpu.TestOutputs.Zip(ilgpu.TestOutputs, (a, b) => Math.Abs(a - b))).Max();
        Assert.True(largest < Tolerance, $"largest deviation {largest:E3}");
        Assert.True(ilgpu.TrainOutputs.Distinct().Count() > 10, "outputs should move during training");
    }
}
