using BenchmarkDotNet.Attributes;
using FieldTheory.Convolutions;
using FieldTheory.Models;

namespace FieldTheory.Convolutions.Benchmarks;

/// <summary>
/// Full-batch training of a FashionCnn ensemble (E members, T steps, P Fashion-MNIST images, width N), the workload of
/// tests/baselines/cnn_torch.py. Records only the first and last step, as the baseline computes nothing else.
/// </summary>
public class CnnEnsembleBenchmark
{
    private CnnImages _images = null!;

    /// <summary>Width N.</summary>
    [Params(16)]
    public int Width { get; set; }

    /// <summary>E.</summary>
    public const int Members = 16;

    /// <summary>T.</summary>
    public const int Steps = 10;

    /// <summary>P.</summary>
    public const int Train = 64;

    [GlobalSetup]
    public void Setup() => _images = CnnData.Load(CnnData.FashionMnist(Train, test: 1, seed: 1, firstClass: 0, secondClass: 1));

    [Benchmark]
    public double TrainEnsemble() =>
        CnnEnsemble.Train(FashionCnn.Convolutional, _images, new CnnTrainingSettings(Width, Members, Gamma0: 1.0, Eta: 0.03, Steps: Steps)).TrainOutputs[^1];
}
