using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Ensembles;
using FieldTheory.Models;
using FieldTheory.Results;

namespace FieldTheory.Benchmarks;

/// <summary>The two benchmark cases of issue 3, run through the public <see cref="EnsembleTrainer"/> on the CPU.</summary>
internal static class EnsembleCases
{
    /// <summary>Two-layer tanh, P = 1 (x = y = 1), N = 512, E = 4000, 160 steps, gamma0 = 1, eta = 0.05.</summary>
    public static EnsembleResult TwoLayer(ComputeDevice device) =>
        EnsembleTrainer.Train(BuiltInModels.Catalogue.Get("TwoLayerTanh"), new EnsembleSettings(new Dataset(1, [1.0], [1.0]), 1.0, 0.05, 160, false, 512, 4000, 1), device);

    /// <summary>L = 3 tanh, N = 512, P = 64 gaussian points in D = 64 (targets sign(x_1)), E = 16, 100 steps, eta = 0.01.</summary>
    public static EnsembleResult Deep(ComputeDevice device)
    {
        const int points = 64, dimension = 64;
        var random = new Random(1);
        double[] x = [.. Enumerable.Range(0, points * dimension).Select(_ => Normal(random))];
        double[] y = [.. Enumerable.Range(0, points).Select(mu => Math.Sign(x[mu * dimension]) * 1.0)];
        return EnsembleTrainer.Train(BuiltInModels.Catalogue.Get("DeepTanh"), new EnsembleSettings(new Dataset(dimension, x, y), 1.0, 0.01, 100, false, 512, 16, 1), device);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
