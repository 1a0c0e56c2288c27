using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Models;
using FieldTheory.Reproductions.Figures;
using FieldTheory.Theory.Online;
using static FieldTheory.Reproductions.Numerics;

namespace FieldTheory.Reproductions;

/// <summary>
/// Online SGD on gaussian data with a teacher: finite-width networks learn more slowly than the infinite-width limit,
/// and the theory's O(1/N) correction C(t) (DESIGN.md 3.5) predicts by how much.
/// </summary>
public sealed class OnlineLearning : Reproduction
{
    /// <inheritdoc />
    public override string Name => "online-learning";

    /// <inheritdoc />
    public override string Summary => "Online SGD with a teacher: expected test loss against time at several widths and infinite width, with the O(1/N) correction.";

    /// <inheritdoc />
    public override string Claim =>
        "In online learning the expected population loss of width-N networks exceeds the infinite-width loss at every " +
        "time (initialisation variance slows learning), and the gap is predicted by the theory's O(1/N) correction: " +
        "E L_N(t) = L_inf(t) + C(t) / N.";

    /// <inheritdoc />
    public override TimeSpan QuickTime => TimeSpan.FromSeconds(40);

    /// <inheritdoc />
    public override TimeSpan FullTime => TimeSpan.FromMinutes(20);

    /// <inheritdoc />
    protected override void RunCore(ReproductionContext context)
    {
        int[] widths = context.Quick ? [32] : [32, 64, 128];
        int members = context.Quick ? 1000 : 4000;
        int batch = context.Quick ? 32 : 64;
        const int steps = 8;
        var data = new GaussianData(Dimension: 2, Train: 1, Test: 0, TeacherKind.Tanh, Noise: 0.0, Seed: 3);
        var experiment = new Experiment(
            new ModelReference("TwoLayerTanh", null), data, Gamma0: 1.0, Eta: 0.5, steps, Centered: false, Online: true, batch,
            new EnsembleSpec(widths[0], members, 7, "cpu"), new TheorySpec(13824, IntegrationMethod.Quadrature, 5, false, false, true));
        NetworkModel model = BuiltInModels.Catalogue.Get("TwoLayerTanh");
        context.ExpectStages(1);
        context.Setting("model TwoLayerTanh, inputs x ~ N(0, I_2), teacher y = tanh(beta . x / sqrt 2), gamma0 = 1, eta = 0.5, T = 8 steps (DESIGN.md 3.5's verified case)");
        context.Setting($"online SGD with fresh batches of B = {batch}; population on a rotated 12 x 12 Gauss-Hermite grid; infinite width on 8 randomly rotated 12^3 Gauss-Hermite grids (13824 sites; at this smooth 3-dimensional problem ten times more accurate than QMC of the same size) trained on the same batches; E = {members} networks at N = {string.Join(", ", widths)}");

        using ComputeDevice device = ComputeDevice.Create("cpu");
        OnlineLossComparison comparison = context.RunCustom(
            "online-learning",
            progress => OnlineTheory.CompareWidths(experiment, model, widths, members, device, OnlineGradient.EnsembleBatches, directions: context.Quick ? 48 : 128, correctionSites: 512, progress, context.CancellationToken),
            c => System.Text.Json.JsonSerializer.Serialize(c, new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase }));

        double[] t = comparison.Time;
        var figure = new Figure("Expected population loss of online SGD", "t = n eta", "E L(t)");
        figure.Line(t, comparison.PopulationLoss, "infinite width", 0);
        for (int i = 0; i < comparison.Widths.Count; i++)
        {
            OnlineWidthRow row = comparison.Widths[i];
            figure.Points(t[..row.EnsembleLoss.Length], row.EnsembleLoss, row.EnsembleStdErr, $"networks N = {row.Width}", i + 1);
            figure.Line(t[..row.Predicted.Length], row.Predicted, $"L_inf + C/N, N = {row.Width}", i + 1);
        }

        context.Save(figure, "online-loss");
        var correction = new Figure("Finite-width correction N (E L_N - L_inf)", "t = n eta", "N (E L_N - L_inf)");
        correction.Line(t, comparison.Correction.C, "theory C(t)", 0);
        for (int i = 0; i < comparison.Widths.Count; i++)
        {
            OnlineWidthRow row = comparison.Widths[i];
            int n = row.EnsembleLoss.Length;
            correction.Points(t[..n], [.. Enumerable.Range(0, n).Select(k => row.Width * (row.EnsembleLoss[k] - comparison.PopulationLoss[k]))],
                [.. Enumerable.Range(0, n).Select(k => row.Width * row.EnsembleStdErr[k])], $"networks N = {row.Width}", i + 1);
        }

        context.Save(correction, "online-correction");
        context.Csv("online-loss", ["t", "L_inf", "C", "C_se", .. comparison.Widths.SelectMany(r => new[] { $"EL_N{r.Width}", $"se_N{r.Width}" })],
            Enumerable.Range(0, t.Length).Select(n => (IReadOnlyList<double>)[t[n], comparison.PopulationLoss[n], comparison.Correction.C[n], comparison.Correction.StdErr[n],
                .. comparison.Widths.SelectMany(r => new[] { r.EnsembleLoss[n], r.EnsembleStdErr[n] })]));

        foreach (OnlineWidthRow row in comparison.Widths)
        {
            int n = row.EnsembleLoss.Length;
            // Above at every step (point estimates), and by more than 4 standard errors at the end.
            bool slower = Enumerable.Range(1, n - 1).All(k => row.EnsembleLoss[k] > comparison.PopulationLoss[k])
                && row.EnsembleLoss[n - 1] - comparison.PopulationLoss[n - 1] > 4 * row.EnsembleStdErr[n - 1];
            context.Check($"N = {row.Width}: finite width learns more slowly at every step", slower,
                string.Join(", ", Enumerable.Range(1, n - 1).Select(k => $"t = {F(t[k])}: {F(row.EnsembleLoss[k])} ± {F(row.EnsembleStdErr[k])} vs {F(comparison.PopulationLoss[k])}")));
            double worst = Enumerable.Range(1, n - 1).Max(k =>
                Math.Abs((row.Width * (row.EnsembleLoss[k] - comparison.PopulationLoss[k])) - comparison.Correction.C[k])
                / Math.Sqrt(Math.Pow(row.Width * row.EnsembleStdErr[k], 2) + Math.Pow(comparison.Correction.StdErr[k], 2)));
            context.Check($"N = {row.Width}: N (E L_N - L_inf) = C(t) within 4 standard errors", worst <= 4.0, $"largest deviation {F(worst)} standard errors over t > 0");
        }

        context.Outcome($"C(t) = {string.Join(", ", Enumerable.Range(0, t.Length).Where(n => n % 2 == 0).Select(n => $"{F(comparison.Correction.C[n])} ± {F(comparison.Correction.StdErr[n])} (t = {F(t[n])})"))}");
    }
}
