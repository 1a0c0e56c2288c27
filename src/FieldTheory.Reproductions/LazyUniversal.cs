using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Fluctuations.Lazy;
using FieldTheory.Models;
using FieldTheory.Reproductions.Figures;
using FieldTheory.Results;
using static FieldTheory.Reproductions.Numerics;

namespace FieldTheory.Reproductions;

/// <summary>
/// The lazy limit (gamma0 -> 0, centered outputs): the prediction variance over initialisations follows a universal
/// form fixed by the NTK's spectrum and its initial covariance (DESIGN.md 4.4); the full propagator tends to it, and
/// networks agree.
/// </summary>
public sealed class LazyUniversal : Reproduction
{
    /// <inheritdoc />
    public override string Name => "lazy-universal";

    /// <inheritdoc />
    public override string Summary => "gamma0 -> 0, centered: the universal prediction variance, the full propagator and ensembles on one plot.";

    /// <inheritdoc />
    public override string Claim =>
        "In the lazy limit the finite-width variance of the centered error is universal: N Var Delta(t) = kappa y^2 t^2 " +
        "e^{-2 lambda t} for one training point (peaking at t = 1/lambda and vanishing as the network interpolates), and in " +
        "general a sum over the NTK's eigenmodes weighted by the initial kernel covariance kappa_K; the full propagator at " +
        "small gamma0 reproduces it, and so do ensembles of networks.";

    /// <inheritdoc />
    public override TimeSpan QuickTime => TimeSpan.FromSeconds(20);

    /// <inheritdoc />
    public override TimeSpan FullTime => TimeSpan.FromMinutes(5);

    /// <inheritdoc />
    protected override void RunCore(ReproductionContext context)
    {
        const double gamma0 = 0.01;
        const double eta = 0.1;
        const int steps = 60;
        var cases = new List<(string Label, DataSpec Data)> { ("P1", new ScalarData(1.0, 1.0)) };
        if (!context.Quick)
        {
            cases.Add(("P3", new GaussianData(Dimension: 3, Train: 3, Test: 1, TeacherKind.Tanh, Noise: 0.0, Seed: 5)));
        }

        int width = context.Quick ? 64 : 256;
        int members = context.Quick ? 2000 : 8000;
        NetworkModel model = BuiltInModels.Catalogue.Get("TwoLayerTanh");
        context.ExpectStages(cases.Count * 3);
        context.Setting($"model {model.Name}, centered outputs, gamma0 = {gamma0}, eta = {eta}, T = {steps}; data: one point x = y = 1{(context.Quick ? string.Empty : "; three gaussian points with a test point")}");
        context.Setting($"ensembles of E = {members} networks at N = {width} and {2 * width}; lazy form and propagator on 16384 sites: 8 randomly rotated Gauss-Hermite grids for P = 1 (a smooth problem, where grids beat QMC), scrambled QMC for P = 3 (a 4-dimensional Gaussian)");

        foreach ((string label, DataSpec data) in cases)
        {
            Experiment Make(EnsembleSpec? e, TheorySpec? t) => new(new ModelReference(model.Name, null), data, gamma0, eta, steps, Centered: true, false, 0, e, t);
            IntegrationMethod integration = label == "P1" ? IntegrationMethod.Quadrature : IntegrationMethod.Qmc;
            Experiment withTheory = Make(null, new TheorySpec(16384, integration, 1, false, Fluctuations: true, false));
            LazyFluctuationResult lazy = LazyFluctuations.ForTwoLayer(withTheory, model, DataFactory.Build(data));
            ExperimentResult full = context.Run($"propagator-{label}", withTheory, model);
            EnsembleResult small = context.Run($"ensemble-{label}-N{width}", Make(new EnsembleSpec(width, members, 21, "cpu"), null), model).Ensemble!;
            EnsembleResult large = context.Run($"ensemble-{label}-N{2 * width}", Make(new EnsembleSpec(2 * width, members, 22, "cpu"), null), model).Ensemble!;
            Analyse(context, label, full, lazy, small, large, width);
        }
    }

    private static void Analyse(ReproductionContext context, string label, ExperimentResult full, LazyFluctuationResult lazy, EnsembleResult small, EnsembleResult large, int width)
    {
        double[] t = full.Time;
        int points = lazy.NvarDelta[0].Length;
        var figure = new Figure($"Lazy limit: N Var Delta(t), centered ({label})", "t = n eta", "N Var Delta");
        var rows = new List<IReadOnlyList<double>>();
        double worstPropagator = 0;
        double worstEnsemble = 0;
        double scale = lazy.NvarDelta.SelectMany(r => r).Max();
        for (int mu = 0; mu < points; mu++)
        {
            double[] universal = [.. lazy.NvarDelta.Select(r => r[mu])];
            double[] propagator = [.. full.Theory!.Nvar!.Delta.Select(r => r[mu])];
            figure.Line(t, universal, $"universal form, mu = {mu}", mu)
                .Points(t, [.. large.Nvar.Delta.Select(r => r[mu])], [.. large.NvarStdErr.Delta.Select(r => r[mu])], $"networks N = {2 * width}, mu = {mu}", mu);
            for (int n = 0; n < t.Length; n++)
            {
                worstPropagator = Math.Max(worstPropagator, Math.Abs(propagator[n] - universal[n]) / scale);
                (_, _, double z) = WidthExtrapolation.Compare(universal[n], 0, small.Nvar.Delta[n][mu], small.NvarStdErr.Delta[n][mu], large.Nvar.Delta[n][mu], large.NvarStdErr.Delta[n][mu]);
                worstEnsemble = Math.Max(worstEnsemble, double.IsFinite(z) ? Math.Abs(z) : 0);
                if (mu == 0)
                {
                    rows.Add([t[n], universal[n], propagator[n], large.Nvar.Delta[n][0], large.NvarStdErr.Delta[n][0]]);
                }
            }
        }

        context.Save(figure, $"lazy-{label}");
        context.Csv($"lazy-{label}", ["t", "universal", "propagator_gamma0_0.01", $"ensemble_N{2 * width}", "se"], rows);
        context.Check($"{label}: full propagator at gamma0 = 0.01 = universal form", worstPropagator < 0.01,
            $"largest difference {F(100 * worstPropagator)}% of the peak variance");
        context.Check($"{label}: networks (extrapolated in 1/N) = universal form", worstEnsemble <= 4.0,
            $"largest |extrapolated - universal| over all steps and points: {F(worstEnsemble)} standard errors");
        if (points == 1)
        {
            // One point: N Var Delta(t) = kappa y^2 t^2 e^{-2 lambda t} peaks at t = 1/lambda (DESIGN.md 4.4; discrete time shifts it by O(eta)).
            double lambda = full.Theory!.Mean.Ntk[0][0][0];
            int peak = Enumerable.Range(0, t.Length).MaxBy(n => lazy.NvarDelta[n][0]);
            context.Check($"{label}: variance peaks at t = 1/lambda", Math.Abs(t[peak] - (1 / lambda)) <= 2 * full.Eta,
                $"peak at t = {F(t[peak])}, 1/lambda = {F(1 / lambda)} (lambda = K(0) = {F(lambda)})");
            context.Outcome($"{label}: the variance vanishes as the network interpolates: N Var Delta(T) = {F(lazy.NvarDelta[^1][0])} against a peak of {F(lazy.NvarDelta[peak][0])}");
        }
    }
}
