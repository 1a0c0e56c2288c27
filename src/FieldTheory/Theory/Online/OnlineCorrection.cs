namespace FieldTheory.Theory.Online;

/// <summary>
/// The O(1/N) correction of the expected population loss of online learning (DESIGN.md 3.5 and 4.3):
/// C(n) = N (E L_N(n) - L_inf(n)), so that E L_N = L_inf + C / N + O(1/N^2).
/// </summary>
/// <param name="C">C(n), n = 0..T.</param>
/// <param name="StdErr">Standard error of <paramref name="C"/> from the random directions.</param>
/// <param name="Directions">Number of random directions behind the estimate.</param>
internal sealed record OnlineCorrection(double[] C, double[] StdErr, int Directions);
