namespace FieldTheory.Theory.Online;

/// <summary>
/// Expected population loss of online learning against time for several widths (the <c>online-learning</c>
/// reproduction): the infinite-width L_inf(n), finite-width ensembles E L_N(n) with standard errors, and the theory's
/// prediction L_inf(n) + C(n) / N (DESIGN.md 3.5).
/// </summary>
/// <param name="Time">t = n eta, n = 0..T.</param>
/// <param name="Gradient">What the infinite-width network descends (the ensembles' batches removes the O(1/B) shift).</param>
/// <param name="PopulationLoss">L_inf(n) on the population set.</param>
/// <param name="Correction">C(n) = N (E L_N - L_inf) with its standard error.</param>
/// <param name="Widths">One row per width.</param>
/// <param name="Description">Settings in one line: population set, sites, batch size, members.</param>
internal sealed record OnlineLossComparison(
    double[] Time,
    OnlineGradient Gradient,
    double[] PopulationLoss,
    OnlineCorrection Correction,
    IReadOnlyList<OnlineWidthRow> Widths,
    string Description);

/// <summary>One width of an <see cref="OnlineLossComparison"/>.</summary>
/// <param name="Width">N.</param>
/// <param name="Members">E, ensemble members.</param>
/// <param name="EnsembleLoss">E L_N(n): the ensemble mean of each member's population loss on the population set.</param>
/// <param name="EnsembleStdErr">Standard error of <paramref name="EnsembleLoss"/>.</param>
/// <param name="Predicted">L_inf(n) + C(n) / N.</param>
/// <param name="PredictedStdErr">Standard error of <paramref name="Predicted"/> (that of C, over N).</param>
/// <param name="DivergedAtStep">First step at which a member diverged (the rows then stop there), or null.</param>
internal sealed record OnlineWidthRow(
    int Width,
    int Members,
    double[] EnsembleLoss,
    double[] EnsembleStdErr,
    double[] Predicted,
    double[] PredictedStdErr,
    int? DivergedAtStep);
