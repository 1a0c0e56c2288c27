using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Models;
using FieldTheory.Reproductions.Figures;
using FieldTheory.Results;
using static FieldTheory.Reproductions.Numerics;

namespace FieldTheory.Reproductions;

/// <summary>
/// Large learning rates: with eta lambda_max(K(0)) &gt; 2, the feature-learning network lowers its NTK below the
/// stability threshold 2/eta and then converges; the infinite-width theory predicts the same trajectory as real
/// networks, and the kernel's initialisation variance N Var K shrinks during training.
/// </summary>
public sealed class EdgeOfStability : Reproduction
{
    /// <inheritdoc />
    public override string Name => "edge-of-stability";

    /// <inheritdoc />
    public override string Summary => "Large learning rates: the NTK falls below 2/eta, theory against networks, kernel variance shrinking in time.";

    /// <inheritdoc />
    public override string Claim =>
        "Started above the stability threshold (eta lambda_max(K(0)) > 2), a mean-field network in the rich regime " +
        "reduces its top NTK eigenvalue below 2/eta and then trains; the infinite-width DMFT reproduces the kernel's " +
        "trajectory of finite networks (up to O(1/N)), and the initialisation variance of the kernel decreases in time.";

    /// <inheritdoc />
    public override TimeSpan QuickTime => TimeSpan.FromSeconds(20);

    /// <inheritdoc />
    public override TimeSpan FullTime => TimeSpan.FromMinutes(4);

    /// <inheritdoc />
    protected override void RunCore(ReproductionContext context)
    {
        const double gamma0 = 1.0;
        const int steps = 40;
        double[] etas = context.Quick ? [2.6] : [2.4, 2.5, 2.6];
        int width = context.Quick ? 128 : 512;
        int members = context.Quick ? 600 : 2000;
        NetworkModel model = BuiltInModels.Catalogue.Get("TwoLayerTanh");
        var data = new ScalarData(1.0, 1.0);
        context.ExpectStages(etas.Length * 3);
        context.Setting($"model {model.Name} (phi = {model.Info.Activation.Phi}), one training point x = y = 1, gamma0 = {gamma0}, T = {steps} steps");
        context.Setting($"learning rates eta = {string.Join(", ", etas)}; ensembles of E = {members} networks at N = {width} and {2 * width}; theory by scrambled QMC on {(context.Quick ? 16384 : 65536)} sites (error: spread of 8 scramblings; a rotated 128^2 Gauss-Hermite grid was 10 of its own error estimates off at eta = 2.6)");

        var kernelFigure = new Figure("Top NTK eigenvalue against the stability threshold 2/eta", "t = n eta", "lambda_max(K)");
        var varianceFigure = new Figure("Initialisation variance of the NTK, N Var K(t)", "t = n eta", "N Var K");
        for (int i = 0; i < etas.Length; i++)
        {
            double eta = etas[i];
            Experiment Make(EnsembleSpec? e, TheorySpec? t) => new(new ModelReference(model.Name, null), data, gamma0, eta, steps, false, false, 0, e, t);
            ExperimentResult theory = context.Run($"theory-eta{eta}", Make(null, new TheorySpec(context.Quick ? 16384 : 65536, IntegrationMethod.Qmc, 1, false, false, false)), model);
            ExperimentResult small = context.Run($"ensemble-eta{eta}-N{width}", Make(new EnsembleSpec(width, members, 11, "cpu"), null), model);
            ExperimentResult large = context.Run($"ensemble-eta{eta}-N{2 * width}", Make(new EnsembleSpec(2 * width, members, 12, "cpu"), null), model);
            Analyse(context, eta, theory, small.Ensemble!, large.Ensemble!, width, i, kernelFigure, varianceFigure);
        }

        context.Save(kernelFigure, "ntk-vs-threshold");
        context.Save(varianceFigure, "ntk-variance");
    }

    private static void Analyse(
        ReproductionContext context, double eta, ExperimentResult theory, EnsembleResult small, EnsembleResult large, int width, int colour, Figure kernel, Figure variance)
    {
        double[] t = theory.Time;
        int last = t.Length - 1;
        double[] kTheory = [.. theory.Theory!.Mean.Ntk.Select(Numerics.TopEigenvalue)];
        double[] kErr = [.. theory.Theory.IntegrationError!.Ntk.Select(k => k[0][0])];
        double[] kLarge = [.. large.Mean.Ntk.Select(Numerics.TopEigenvalue)];
        double[] seLarge = [.. large.MeanStdErr.Ntk.Select(k => k[0][0])];
        double threshold = 2.0 / eta;

        kernel.Line(t, kTheory, $"theory, eta = {eta}", colour)
            .Points(t, kLarge, seLarge, $"networks N = {2 * width}, eta = {eta}", colour)
            .Level(threshold, $"2/eta = {F(threshold)}");
        variance.Points(t, [.. large.Nvar.Ntk.Select(k => k[0][0])], [.. large.NvarStdErr.Ntk.Select(k => k[0][0])], $"N = {2 * width}, eta = {eta}", colour)
            .Points(t, [.. small.Nvar.Ntk.Select(k => k[0][0])], [.. small.NvarStdErr.Ntk.Select(k => k[0][0])], $"N = {width}, eta = {eta}", colour, hollow: true);
        context.Csv($"ntk-eta{eta}", ["t", "lambda_theory", "lambda_theory_error", $"lambda_N{width}", $"se_N{width}", $"lambda_N{2 * width}", $"se_N{2 * width}", $"nvarK_N{2 * width}", $"nvarK_se_N{2 * width}"],
            Enumerable.Range(0, t.Length).Select(n => (IReadOnlyList<double>)[t[n], kTheory[n], kErr[n], small.Mean.Ntk[n][0][0], small.MeanStdErr.Ntk[n][0][0], kLarge[n], seLarge[n], large.Nvar.Ntk[n][0][0], large.NvarStdErr.Ntk[n][0][0]]));

        context.Outcome($"eta = {eta}: lambda_max(K) goes from {F(kTheory[0])} (eta lambda = {F(eta * kTheory[0])}) to {F(kTheory[last])} in theory and {F(kLarge[last])} ± {F(seLarge[last])} in networks of width {2 * width}; threshold 2/eta = {F(threshold)}; final loss {F(theory.Theory.Mean.Loss[last])} (theory)");
        context.Check($"eta = {eta}: starts above the threshold", eta * kTheory[0] > 2, $"eta lambda_max(K(0)) = {F(eta * kTheory[0])} > 2");
        context.Check($"eta = {eta}: theory ends below 2/eta and converges", kTheory[last] < threshold && theory.Theory.Mean.Loss[last] < 1e-6 * theory.Theory.Mean.Loss[0],
            $"lambda(T) = {F(kTheory[last])} < {F(threshold)}; loss {F(theory.Theory.Mean.Loss[0])} -> {F(theory.Theory.Mean.Loss[last])}");
        context.Check($"eta = {eta}: networks end below 2/eta", kLarge[last] + (4 * seLarge[last]) < threshold, $"lambda(T) = {F(kLarge[last])} ± {F(seLarge[last])} (N = {2 * width})");

        double worst = 0;
        int worstStep = 0;
        for (int n = 0; n <= last; n++)
        {
            (_, _, double z) = WidthExtrapolation.Compare(kTheory[n], kErr[n], small.Mean.Ntk[n][0][0], small.MeanStdErr.Ntk[n][0][0], kLarge[n], seLarge[n]);
            if (Math.Abs(z) > Math.Abs(worst))
            {
                (worst, worstStep) = (z, n);
            }
        }

        context.Check($"eta = {eta}: theory = networks extrapolated to infinite width", Math.Abs(worst) <= 4.0,
            $"largest |extrapolated - theory| over all steps: {F(Math.Abs(worst))} standard errors (t = {F(t[worstStep])})");
        double v0 = large.Nvar.Ntk[0][0][0], vT = large.Nvar.Ntk[last][0][0];
        double s0 = large.NvarStdErr.Ntk[0][0][0], sT = large.NvarStdErr.Ntk[last][0][0];
        context.Check($"eta = {eta}: kernel variance decreases in time", ClearlyAbove(v0, s0, vT, sT),
            $"N Var K: {F(v0)} ± {F(s0)} at t = 0, {F(vT)} ± {F(sT)} at t = {F(t[last])} (N = {2 * width})");
    }
}
