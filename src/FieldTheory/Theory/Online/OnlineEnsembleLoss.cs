using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Ensembles;
using FieldTheory.Results;

namespace FieldTheory.Theory.Online;

/// <summary>
/// Finite-width ground truth for the online theory: the ensemble engine's online SGD (DESIGN.md 3.5 and 5) with the
/// population set as its test set, each member's population loss 1/2 E_x (y - f)^2 + sigma^2 / 2 formed with the
/// population weights at every step, and its mean and standard error over members.
/// </summary>
internal static class OnlineEnsembleLoss
{
    /// <summary>Mean and standard error of the members' population loss at n = 0..T, and the step of divergence if any.</summary>
    public static (double[] Mean, double[] StdErr, int? Diverged) Run(
        NetworkModel model,
        GaussianData data,
        OnlinePopulation population,
        double gamma0,
        double eta,
        int steps,
        int batch,
        int width,
        int members,
        ulong seed,
        ComputeDevice device,
        IProgress<double>? progress,
        CancellationToken ct)
    {
        var dataset = new Dataset(data.Dimension, new double[data.Dimension], [0.0], population.X, population.Y, population.Description);
        var sum = new double[steps + 1];
        var squares = new double[steps + 1];
        void Observe(int n, double[] values, Observables o)
        {
            double s = 0.0;
            double s2 = 0.0;
            for (int m = 0; m < members; m++)
            {
                ReadOnlySpan<double> f = values.AsSpan((int)(((long)m * o.Count) + o.TestF), population.Count);
                double loss = population.Loss(f);
                s += loss;
                s2 += loss * loss;
            }

            sum[n] = s;
            squares[n] = s2;
        }

        var settings = new EnsembleSettings(dataset, gamma0, eta, steps, Centered: false, width, members, seed, new OnlineSampling(data, batch));
        var options = new EnsembleOptions(ComputeDevice.CpuThreads, Observer: Observe);
        EnsembleResult result = EnsembleTrainer.Train(model, settings, device, options, progress, ct);
        int recorded = result.DivergedAtStep ?? (steps + 1);
        var mean = new double[recorded];
        var se = new double[recorded];
        for (int n = 0; n < recorded; n++)
        {
            mean[n] = sum[n] / members;
            double variance = Math.Max(0.0, (squares[n] - (members * mean[n] * mean[n])) / (members - 1));
            se[n] = Math.Sqrt(variance / members);
        }

        return (mean, se, result.DivergedAtStep);
    }
}
