using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Fluctuations.DeepNonlinear;
using FieldTheory.Results;

namespace FieldTheory.DeepFluctuations.Tests;

/// <summary>Experiments on one point x = y = 1 (D = 1, K^x = 1) unless other data are given, uncentered, as the tests use them.</summary>
internal static class TestExperiments
{
    public static Dataset Data { get; } = DataFactory.Build(new ScalarData(1.0, 1.0));

    public static Experiment Theory(NetworkModel model, double gamma0, double eta, int steps, int sites, ulong seed, DataSpec? data = null) =>
        new(new ModelReference(model.Name, null), data ?? new ScalarData(1.0, 1.0), gamma0, eta, steps, false, false, 0, null,
            new TheorySpec(sites, IntegrationMethod.Mc, seed, false, true, false));

    public static Experiment Ensemble(NetworkModel model, double gamma0, double eta, int steps, int width, int members, ulong seed, DataSpec? data = null) =>
        new(new ModelReference(model.Name, null), data ?? new ScalarData(1.0, 1.0), gamma0, eta, steps, false, false, 0,
            new EnsembleSpec(width, members, seed, "cpu"), null);

    /// <summary>The propagator's N Var series and standard errors from <paramref name="replicas"/> replicas.</summary>
    public static (Series Nvar, Series Error) Propagator(NetworkModel model, double gamma0, int steps, int sites, int replicas, bool responseCoupling = true, double eta = 0.1,
        InlineData? data = null) =>
        DeepNonlinearFluctuations.Compute(Theory(model, gamma0, eta, steps, sites, 17, data), model, data is null ? Data : DataFactory.Build(data), replicas, responseCoupling, null, default);
}

/// <summary>
/// Two training points in D = 2, x_1 = (1, 1), x_2 = (1.4, 0), with targets 1 and -0.5: K^x = [[1, 0.7], [0.7, 0.98]]
/// (non-orthogonal, full rank), so the points share features and their errors are correlated.
/// </summary>
internal static class TwoPoints
{
    public static InlineData Inline { get; } = new(2, [1.0, 1.0, 1.4, 0.0], [1.0, -0.5], null, null);

    public static Dataset Data { get; } = DataFactory.Build(Inline);

    public static double[] InputGram { get; } = Data.InputGram();

    public static double[] Y { get; } = [1.0, -0.5];
}
