using System.Globalization;
using FieldTheory.Compilation;
using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Reproductions.Figures;
using FieldTheory.Results;
using static FieldTheory.Reproductions.Numerics;

namespace FieldTheory.Reproductions;

/// <summary>
/// Deep networks: the initialisation variance of the feature kernels accumulates through the layers, and feature
/// learning (larger gamma0) improves every layer's signal-to-noise ratio Phi^l^2 / N Var Phi^l.
/// </summary>
public sealed class DeepVariance : Reproduction
{
    /// <inheritdoc />
    public override string Name => "deep-variance";

    /// <inheritdoc />
    public override string Summary => "Depth L = 1..5: layer-resolved N Var of feature and gradient kernels, and their SNR improving with gamma0.";

    /// <inheritdoc />
    public override string Claim =>
        "In deep mean-field networks the variance of the feature kernels over initialisations accumulates through the " +
        "forward chain (the relative variance N Var Phi^l / Phi^l^2 grows with l; for linear networks N Var H^l(0) = 2l), the gradient kernels mirror it " +
        "backwards, and feature learning raises the signal-to-noise ratio SNR_l = Phi^l(T,T)^2 / N Var Phi^l(T,T) in every layer.";

    /// <inheritdoc />
    public override TimeSpan QuickTime => TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public override TimeSpan FullTime => TimeSpan.FromMinutes(10);

    /// <inheritdoc />
    protected override void RunCore(ReproductionContext context)
    {
        int[] depths = context.Quick ? [3] : [1, 2, 3, 4, 5];
        double[] gammas = context.Quick ? [0.25, 2.0] : [0.25, 0.5, 1.0, 2.0];
        int width = context.Quick ? 128 : 256;
        int members = context.Quick ? 500 : 2000;
        const double eta = 0.1;
        const int steps = 30;
        var data = new ScalarData(1.0, 1.0);
        context.ExpectStages((depths.Length * gammas.Length) + 3);
        context.Setting($"tanh networks with L = {string.Join(", ", depths)} hidden layers, each compiled at run time from a [Network(HiddenLayers = L)] declaration");
        context.Setting($"x = y = 1, eta = {eta}, T = {steps}, uncentered; gamma0 = {string.Join(", ", gammas)}; ensembles of E = {members} at N = {width}");

        PropagatorAgainstEnsembles(context, data, eta);
        foreach (int depth in depths)
        {
            NetworkModel model = CompileTanh(depth);
            var snr = new List<double[]>();
            var snrSe = new List<double[]>();
            var layerFigure = new Figure($"Layer-resolved N Var Phi^l(t,t), L = {depth}", "layer l", "N Var Phi^l");
            for (int g = 0; g < gammas.Length; g++)
            {
                double gamma0 = gammas[g];
                var experiment = new Experiment(new ModelReference(model.Name, null), data, gamma0, eta, steps, false, false, 0, new EnsembleSpec(width, members, 7, "cpu"), null);
                EnsembleResult e = context.Run($"ensemble-L{depth}-gamma{gamma0}", experiment, model).Ensemble!;
                int last = e.Mean.Loss.Length - 1;
                double[] layers = [.. Enumerable.Range(1, depth).Select(l => (double)l)];
                double[] v0 = [.. Enumerable.Range(0, depth).Select(l => e.Nvar.FeatureKernel![l][0][0][0])];
                double[] s0 = [.. Enumerable.Range(0, depth).Select(l => e.NvarStdErr.FeatureKernel![l][0][0][0])];
                double[] vT = [.. Enumerable.Range(0, depth).Select(l => e.Nvar.FeatureKernel![l][last][0][0])];
                double[] sT = [.. Enumerable.Range(0, depth).Select(l => e.NvarStdErr.FeatureKernel![l][last][0][0])];
                double[] mT = [.. Enumerable.Range(0, depth).Select(l => e.Mean.FeatureKernel![l][last][0][0])];
                double[] seM = [.. Enumerable.Range(0, depth).Select(l => e.MeanStdErr.FeatureKernel![l][last][0][0])];
                if (g == 0)
                {
                    layerFigure.Points(layers, v0, s0, "t = 0", 0);
                    double[] m0 = [.. Enumerable.Range(0, depth).Select(l => e.Mean.FeatureKernel![l][0][0][0])];
                    CheckAccumulation(context, depth, m0, v0, s0);
                }

                layerFigure.Points(layers, vT, sT, $"t = T, gamma0 = {gamma0}", g + 1);
                // SNR = m^2 / v; by the delta method its relative error is sqrt((2 se_m / m)^2 + (se_v / v)^2).
                snr.Add([.. Enumerable.Range(0, depth).Select(l => mT[l] * mT[l] / vT[l])]);
                snrSe.Add([.. Enumerable.Range(0, depth).Select(l => mT[l] * mT[l] / vT[l] * Math.Sqrt(Math.Pow(2 * seM[l] / mT[l], 2) + Math.Pow(sT[l] / vT[l], 2)))]);
                context.Csv($"layers-L{depth}-gamma{gamma0}", ["layer", "nvar_phi_0", "se", "nvar_phi_T", "se", "phi_T", "se", "snr_T", "se"],
                    Enumerable.Range(0, depth).Select(l => (IReadOnlyList<double>)[l + 1, v0[l], s0[l], vT[l], sT[l], mT[l], seM[l], snr[^1][l], snrSe[^1][l]]));
            }

            context.Save(layerFigure, $"layer-variance-L{depth}");
            var snrFigure = new Figure($"Signal-to-noise ratio of Phi^l(T,T), L = {depth}", "layer l", "SNR_l");
            for (int g = 0; g < gammas.Length; g++)
            {
                snrFigure.Points([.. Enumerable.Range(1, depth).Select(l => (double)l)], snr[g], snrSe[g], $"gamma0 = {gammas[g]}", g + 1);
            }

            context.Save(snrFigure, $"snr-L{depth}");
            for (int l = 0; l < depth; l++)
            {
                double low = snr[0][l], high = snr[^1][l];
                context.Check($"L = {depth}, layer {l + 1}: SNR rises with gamma0", ClearlyAbove(high, snrSe[^1][l], low, snrSe[0][l]),
                    $"SNR = {F(low)} ± {F(snrSe[0][l])} at gamma0 = {gammas[0]}, {F(high)} ± {F(snrSe[^1][l])} at gamma0 = {gammas[^1]}");
            }

            context.Outcome($"L = {depth}: SNR of the last layer {string.Join(", ", gammas.Select((g, i) => $"{F(snr[i][depth - 1])} (gamma0 = {g})"))}");
        }
    }

    // Two hidden layers: the deep nonlinear propagator (DESIGN.md 4.5) against ensembles at two widths, on every
    // layer-resolved variance it predicts, with the helper's bound: 3.5 combined standard errors plus |v_N - v_2N|.
    private static void PropagatorAgainstEnsembles(ReproductionContext context, ScalarData data, double eta)
    {
        const double Gamma0 = 1.0;
        int steps = context.Quick ? 6 : 12;
        int sites = context.Quick ? 20000 : 100000;
        int width = context.Quick ? 128 : 256;
        int members = context.Quick ? 1000 : 3000;
        NetworkModel model = CompileTanh(2);
        context.Setting($"L = 2 propagator check: gamma0 = {Gamma0}, T = {steps}, theory.sites = {sites} (4 replicas), ensembles of E = {members} at N = {width} and {2 * width}");
        var theoryExperiment = new Experiment(new ModelReference(model.Name, null), data, Gamma0, eta, steps, false, false, 0, null,
            new TheorySpec(sites, IntegrationMethod.Mc, 3, false, Fluctuations: true, false));
        TheoryResult theory = context.Run("theory-L2-propagator", theoryExperiment, model).Theory!;
        EnsembleResult[] ensembles = [.. new[] { width, 2 * width }.Select((n, i) => context.Run($"ensemble-L2-N{n}",
            new Experiment(new ModelReference(model.Name, null), data, Gamma0, eta, steps, false, false, 0, new EnsembleSpec(n, members, (ulong)(31 + i), "cpu"), null), model).Ensemble!)];
        (string Name, Func<Series, double[]> Read)[] quantities =
        [
            ("Delta", s => [.. s.Delta.Select(r => r[0])]),
            ("K", s => [.. s.Ntk.Select(m => m[0][0])]),
            ("Phi^1", s => [.. s.FeatureKernel![0].Select(m => m[0][0])]),
            ("Phi^2", s => [.. s.FeatureKernel![1].Select(m => m[0][0])]),
            ("G^1", s => [.. s.GradientKernel![0].Select(m => m[0][0])]),
            ("G^2", s => [.. s.GradientKernel![1].Select(m => m[0][0])]),
        ];
        double[] times = [.. Enumerable.Range(0, steps + 1).Select(n => n * eta)];
        var figure = new Figure($"N Var over initialisations, L = 2, gamma0 = {Gamma0}: propagator (lines) and ensembles N = {2 * width} (points)", "t", "N Var");
        int worst = 0;
        double worstRatio = 0.0;
        string worstName = string.Empty;
        for (int q = 0; q < quantities.Length; q++)
        {
            (string name, Func<Series, double[]> read) = quantities[q];
            double[] value = read(theory.Nvar!);
            double[] error = read(theory.NvarIntegrationError!);
            double[] small = read(ensembles[0].Nvar);
            double[] large = read(ensembles[1].Nvar);
            double[] largeSe = read(ensembles[1].NvarStdErr);
            double[] smallSe = read(ensembles[0].NvarStdErr);
            figure.Line(times, value, $"N Var {name} (theory)", q + 1).Points(times, large, largeSe, $"N Var {name}, N = {2 * width}", q + 1);
            for (int n = 0; n <= steps; n++)
            {
                double bound = (3.5 * Math.Sqrt((largeSe[n] * largeSe[n]) + (smallSe[n] * smallSe[n]) + (error[n] * error[n]))) + Math.Abs(small[n] - large[n]);
                double ratio = Math.Abs(large[n] - value[n]) / bound;
                worst += ratio > 1.0 ? 1 : 0;
                if (ratio > worstRatio)
                {
                    (worstRatio, worstName) = (ratio, $"{name}({n}): ensemble {F(large[n])} ± {F(largeSe[n])}, theory {F(value[n])} ± {F(error[n])}");
                }
            }

            context.Csv($"propagator-L2-{name.Replace("^", string.Empty, StringComparison.Ordinal)}", ["t", "theory", "theory_se", $"ensemble_N{width}", "se", $"ensemble_N{2 * width}", "se"],
                Enumerable.Range(0, steps + 1).Select(n => (IReadOnlyList<double>)[times[n], value[n], error[n], small[n], smallSe[n], large[n], largeSe[n]]));
        }

        context.Save(figure, "propagator-L2");
        context.Check("L = 2: the deep nonlinear propagator agrees with ensembles on Delta, K, Phi^1, Phi^2, G^1, G^2 at every step", worst == 0,
            $"{quantities.Length * (steps + 1) - worst} of {quantities.Length * (steps + 1)} within 3.5 combined SE + |v_N - v_2N|; closest to the bound: {worstName} ({F(worstRatio)} of it)");
        context.Outcome($"L = 2 propagator: N Var Delta(T) = {F(theory.Nvar!.Delta[steps][0])} ± {F(theory.NvarIntegrationError!.Delta[steps][0])} against {F(ensembles[1].Nvar.Delta[steps][0])} ± {F(ensembles[1].NvarStdErr.Delta[steps][0])} (N = {2 * width})");
    }

    // The kernels themselves shrink with depth for tanh, so accumulation shows in the relative variance
    // N Var Phi^l / Phi^l^2 (the inverse SNR); for linear networks Phi^l = 1 and it is N Var H^l(0) = 2l (DESIGN.md 4.5).
    private static void CheckAccumulation(ReproductionContext context, int depth, double[] m0, double[] v0, double[] s0)
    {
        if (depth < 2)
        {
            return;
        }

        double[] relative = [.. Enumerable.Range(0, depth).Select(l => v0[l] / (m0[l] * m0[l]))];
        double[] se = [.. Enumerable.Range(0, depth).Select(l => s0[l] / (m0[l] * m0[l]))];
        bool increasing = Enumerable.Range(1, depth - 1).All(l => ClearlyAbove(relative[l], se[l], relative[l - 1], se[l - 1]));
        context.Check($"L = {depth}: relative variance accumulates through the layers at initialisation", increasing,
            "N Var Phi^l(0,0) / Phi^l(0,0)^2 = " + string.Join(", ", relative.Select((v, l) => $"{F(v)} ± {F(se[l])}")));
    }

    /// <summary>A tanh network of the given depth, declared as C# and compiled at run time by the same generator.</summary>
    private static NetworkModel CompileTanh(int depth)
    {
        string source = string.Create(CultureInfo.InvariantCulture, $$"""
            using FieldTheory;

            [Network(HiddenLayers = {{depth}})]
            public static partial class Tanh{{depth}}
            {
                [Activation] static double Phi(double h) => Math.Tanh(h);
            }
            """);
        return ModelCompiler.CompileSource(source, $"Tanh{depth}.cs")[0];
    }
}
