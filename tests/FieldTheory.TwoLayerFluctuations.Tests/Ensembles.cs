using System.Collections.Concurrent;
using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Ensembles;
using FieldTheory.Models;
using FieldTheory.Results;

namespace FieldTheory.TwoLayerFluctuations.Tests;

/// <summary>Finite-width ensembles (the ground truth), trained once per setting and shared by the tests that compare with them.</summary>
internal static class Ensembles
{
    private static readonly ConcurrentDictionary<string, Lazy<EnsembleResult>> Cache = new();

    public static EnsembleResult Train(string model, DataSpec data, double gamma0, double eta, int steps, bool centered, int width, int members, ulong seed) =>
        Cache.GetOrAdd(
            $"{model}|{data}|{gamma0}|{eta}|{steps}|{centered}|{width}|{members}|{seed}",
            _ => new Lazy<EnsembleResult>(() =>
            {
                using var device = ComputeDevice.Create("cpu");
                var settings = new EnsembleSettings(DataFactory.Build(data), gamma0, eta, steps, centered, width, members, seed);
                return EnsembleTrainer.Train(BuiltInModels.Catalogue.Get(model), settings, device);
            })).Value;
}

/// <summary>
/// Theory against ensembles at N and 2N (tests/FieldTheory.Validation.Tests/Agreement.cs): an ensemble statistic is
/// x(N) = x_inf + b / N + O(1/N^2) plus sampling noise, so the Richardson extrapolation 2 x(2N) - x(N) estimates x_inf
/// with standard error sqrt(4 SE(2N)^2 + SE(N)^2).
/// </summary>
internal static class Agreement
{
    /// <summary>Standard errors allowed: with tens of correlated checks per test, false alarms stay near 1e-3.</summary>
    public const double Sigmas = 4.0;

    /// <summary>(extrapolated - theory) in units of the combined standard error (ensembles and theory's integration error).</summary>
    public static double Deviation(double theory, double theoryError, double atN, double seN, double at2N, double se2N)
    {
        double extrapolated = (2 * at2N) - atN;
        double se = Math.Sqrt((4 * se2N * se2N) + (seN * seN) + (theoryError * theoryError));
        return (extrapolated - theory) / se;
    }

    public static void AssertAgrees(string what, double theory, double theoryError, double atN, double seN, double at2N, double se2N)
    {
        double deviation = Deviation(theory, theoryError, atN, seN, at2N, se2N);
        Assert.True(
            Math.Abs(deviation) <= Sigmas,
            $"{what}: theory {theory:G5} (± {theoryError:G2}); ensembles {atN:G5} ± {seN:G2} (N), {at2N:G5} ± {se2N:G2} (2N); extrapolated {(2 * at2N) - atN:G5} is {deviation:F1} standard errors away");
    }
}
