using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Models;
using FieldTheory.Reproductions.Figures;
using FieldTheory.Results;
using static FieldTheory.Reproductions.Numerics;

namespace FieldTheory.Reproductions;

/// <summary>
/// Two-layer networks: how much the error and the NTK vary over random initialisations at width N (N Var), across
/// feature-learning strengths gamma0; feature learning reduces the variance of the final kernel and predictions.
/// </summary>
public sealed class TwoLayerVariance : Reproduction
{
    /// <inheritdoc />
    public override string Name => "two-layer-variance";

    /// <inheritdoc />
    public override string Summary => "N Var Delta(t) and N Var K(t) of two-layer nets across gamma0; the final kernel and prediction variance fall as gamma0 grows.";

    /// <inheritdoc />
    public override string Claim =>
        "In two-layer mean-field networks the O(1/sqrt N) fluctuations over initialisations of the error Delta(t) and " +
        "the NTK K(t) depend on the feature-learning strength gamma0: richer training (larger gamma0) reduces the variance " +
        "of the final NTK and of the final test predictions; uncentered runs start from N Var Delta(0) = Phi(0,0)/gamma0^2.";

    /// <inheritdoc />
    public override TimeSpan QuickTime => TimeSpan.FromSeconds(25);

    /// <inheritdoc />
    public override TimeSpan FullTime => TimeSpan.FromMinutes(8);

    /// <inheritdoc />
    protected override void RunCore(ReproductionContext context)
    {
        double[] gammas = context.Quick ? [0.5, 2.0] : [0.25, 0.5, 1.0, 2.0];
        int[] widths = context.Quick ? [128] : [256, 512];
        int members = context.Quick ? 800 : 4000;
        const double eta = 0.1;
        const int steps = 80;
        NetworkModel model = BuiltInModels.Catalogue.Get("TwoLayerTanh");
        var data = new InlineData(1, [1.0], [1.0], [-0.6], [-0.6]);
        context.ExpectStages(gammas.Length * (widths.Length + 1));
        context.Setting($"model {model.Name}, training point x = 1, y = 1, test point x = -0.6, uncentered, eta = {eta}, T = {steps}");
        context.Setting($"gamma0 = {string.Join(", ", gammas)}; ensembles of E = {members} at N = {string.Join(", ", widths)}; theory: scrambled QMC ({(context.Quick ? 16384 : 65536)} sites; a rotated Gauss-Hermite grid understated its error tenfold at gamma0 = 2), N Var from the reduced two-layer propagator (DESIGN.md 4.2) with its integration error");

        var deltaFigure = new Figure("N Var Delta(t) over initialisations", "t = n eta", "N Var Delta");
        var ntkFigure = new Figure("N Var K(t) over initialisations", "t = n eta", "N Var K");
        var final = new List<(double Gamma0, double NvarK, double SeK, double NvarTest, double SeTest)>();
        for (int g = 0; g < gammas.Length; g++)
        {
            double gamma0 = gammas[g];
            Experiment Make(EnsembleSpec? e, TheorySpec? t) => new(new ModelReference(model.Name, null), data, gamma0, eta, steps, false, false, 0, e, t);
            ExperimentResult theory = context.Run($"theory-gamma{gamma0}", Make(null, new TheorySpec(context.Quick ? 16384 : 65536, IntegrationMethod.Qmc, 1, false, Fluctuations: true, false)), model);
            Series nvar = theory.Theory!.Nvar!;
            deltaFigure.Line(theory.Time, Column(nvar.Delta), $"theory, gamma0 = {gamma0}", g);
            ntkFigure.Line(theory.Time, Diagonal(nvar.Ntk), $"theory, gamma0 = {gamma0}", g);
            EnsembleResult? widest = null;
            var ensembles = new List<EnsembleResult>();
            foreach (int width in widths)
            {
                EnsembleResult e = context.Run($"ensemble-gamma{gamma0}-N{width}", Make(new EnsembleSpec(width, members, (ulong)(100 + width), "cpu"), null), model).Ensemble!;
                bool hollow = width != widths[^1];
                deltaFigure.Points(theory.Time, Column(e.Nvar.Delta), Column(e.NvarStdErr.Delta), $"gamma0 = {gamma0}, N = {width}", g, hollow);
                ntkFigure.Points(theory.Time, Diagonal(e.Nvar.Ntk), Diagonal(e.NvarStdErr.Ntk), $"gamma0 = {gamma0}, N = {width}", g, hollow);
                widest = e;
                ensembles.Add(e);
            }

            Report(context, gamma0, theory, widest!, widths[^1]);
            CompareWithTheory(context, gamma0, theory, ensembles, widths);
            int last = widest!.Nvar.Ntk.Length - 1;
            final.Add((gamma0, widest.Nvar.Ntk[last][0][0], widest.NvarStdErr.Ntk[last][0][0], widest.Nvar.TestF![last][0], widest.NvarStdErr.TestF![last][0]));
        }

        context.Save(deltaFigure, "nvar-delta");
        context.Save(ntkFigure, "nvar-ntk");
        context.Csv("final-variance", ["gamma0", "nvar_K_final", "se", "nvar_testF_final", "se"], final.Select(f => (IReadOnlyList<double>)[f.Gamma0, f.NvarK, f.SeK, f.NvarTest, f.SeTest]));
        var finalFigure = new Figure($"Final variance against gamma0 (N = {widths[^1]})", "gamma0", "N Var at t = T");
        finalFigure.Points([.. final.Select(f => f.Gamma0)], [.. final.Select(f => f.NvarK)], [.. final.Select(f => f.SeK)], "N Var K(T)", 0)
            .Points([.. final.Select(f => f.Gamma0)], [.. final.Select(f => f.NvarTest)], [.. final.Select(f => f.SeTest)], "N Var f_test(T)", 1);
        context.Save(finalFigure, "final-variance");

        (double g0, double k0, double sk0, double p0, double sp0) = final[0];
        (double g1, double k1, double sk1, double p1, double sp1) = final[^1];
        context.Check("final NTK variance falls with gamma0", ClearlyAbove(k0, sk0, k1, sk1),
            $"N Var K(T) = {F(k0)} ± {F(sk0)} at gamma0 = {g0}, {F(k1)} ± {F(sk1)} at gamma0 = {g1}");
        context.Check("final test-prediction variance falls with gamma0", ClearlyAbove(p0, sp0, p1, sp1),
            $"N Var f_test(T) = {F(p0)} ± {F(sp0)} at gamma0 = {g0}, {F(p1)} ± {F(sp1)} at gamma0 = {g1}");
    }

    private static void Report(ReproductionContext context, double gamma0, ExperimentResult theory, EnsembleResult e, int width)
    {
        // Uncentered: f(0) = w . phi(h) / (gamma0 N), so N Var f(0) = Phi(0,0) / gamma0^2 exactly at every width.
        double expected = theory.Theory!.Mean.FeatureKernel![0][0][0][0] / (gamma0 * gamma0);
        double measured = e.Nvar.Delta[0][0];
        double se = e.NvarStdErr.Delta[0][0];
        context.Check($"gamma0 = {gamma0}: N Var Delta(0) = Phi(0,0)/gamma0^2", Math.Abs(measured - expected) <= 4 * se,
            $"{F(measured)} ± {F(se)} (N = {width}) against {F(expected)}");
        int peak = Enumerable.Range(0, e.Nvar.Delta.Length).MaxBy(n => e.Nvar.Delta[n][0]);
        int last = e.Nvar.Delta.Length - 1;
        context.Outcome($"gamma0 = {gamma0}: N Var Delta peaks at t = {F(theory.Time[peak])} ({F(e.Nvar.Delta[peak][0])}), N Var K goes {F(e.Nvar.Ntk[0][0][0])} -> {F(e.Nvar.Ntk[last][0][0])}, N Var f_test(T) = {F(e.Nvar.TestF![last][0])} (N = {width})");
    }

    /// <summary>
    /// The propagator (DESIGN.md 4.2) against the ensembles: with two widths, extrapolated in 1/N and checked within
    /// four standard errors; with one width, the distance is reported.
    /// </summary>
    private static void CompareWithTheory(ReproductionContext context, double gamma0, ExperimentResult theory, List<EnsembleResult> ensembles, int[] widths)
    {
        Series nvar = theory.Theory!.Nvar!;
        Series? error = theory.Theory.NvarIntegrationError;
        int last = nvar.Delta.Length - 1;
        int[] steps = [last / 8, last / 4, last / 2, last];
        if (ensembles.Count >= 2 && widths[^1] == 2 * widths[^2])
        {
            EnsembleResult a = ensembles[^2], b = ensembles[^1];
            double worst = steps.Max(n => Math.Max(
                Math.Abs(WidthExtrapolation.Compare(nvar.Delta[n][0], error?.Delta[n][0] ?? 0, a.Nvar.Delta[n][0], a.NvarStdErr.Delta[n][0], b.Nvar.Delta[n][0], b.NvarStdErr.Delta[n][0]).Z),
                Math.Abs(WidthExtrapolation.Compare(nvar.Ntk[n][0][0], error?.Ntk[n][0][0] ?? 0, a.Nvar.Ntk[n][0][0], a.NvarStdErr.Ntk[n][0][0], b.Nvar.Ntk[n][0][0], b.NvarStdErr.Ntk[n][0][0]).Z)));
            context.Check($"gamma0 = {gamma0}: propagator = ensembles extrapolated to infinite width", worst <= 4.0,
                $"largest |extrapolated - theory| for N Var Delta and N Var K at four times: {F(worst)} standard errors (ensembles and the propagator's integration error)");
        }
        else
        {
            EnsembleResult e = ensembles[^1];
            string z = string.Join(", ", steps.Select(n => F((e.Nvar.Delta[n][0] - nvar.Delta[n][0]) / e.NvarStdErr.Delta[n][0])));
            context.Outcome($"gamma0 = {gamma0}: N Var Delta, ensemble (N = {widths[^1]}) minus propagator in standard errors at t = {string.Join(", ", steps.Select(n => F(theory.Time[n])))}: {z} (finite width adds O(1/N))");
        }
    }

    private static double[] Column(double[][] rows) => [.. rows.Select(r => r[0])];

    private static double[] Diagonal(double[][][] rows) => [.. rows.Select(r => r[0][0])];
}
