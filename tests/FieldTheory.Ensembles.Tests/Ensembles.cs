using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Models;
using FieldTheory.Results;

namespace FieldTheory.Ensembles.Tests;

/// <summary>Small helpers that train an ensemble on the CPU.</summary>
internal static class Ensembles
{
    public static EnsembleResult Train(string model, Dataset data, double gamma0, double eta, int steps, int width, int members, ulong seed = 1, bool centered = false, int? threads = null, bool ilgpuProducts = false)
    {
        using ComputeDevice device = ComputeDevice.Create("cpu");
        var settings = new EnsembleSettings(data, gamma0, eta, steps, centered, width, members, seed);
        var options = new EnsembleOptions(threads ?? ComputeDevice.CpuThreads, IlgpuProducts: ilgpuProducts);
        return EnsembleTrainer.Train(BuiltInModels.Catalogue.Get(model), settings, device, options, null, CancellationToken.None);
    }

    public static Dataset Scalar(double x = 1.0, double y = 1.0) => new(1, [x], [y]);
}
