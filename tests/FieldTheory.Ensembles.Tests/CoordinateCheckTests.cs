using FieldTheory.Data;
using FieldTheory.Results;

namespace FieldTheory.Ensembles.Tests;

/// <summary>
/// muP coordinate check (DESIGN.md section 2): in the mean-field parameterisation the ensemble means of kernels and
/// outputs, and the change of the NTK during training (feature learning), do not depend on the width. Two widths must
/// agree within 4 combined standard errors plus the O(1/N) finite-width shift of a mean, bounded by the across-member
/// variance at the smaller width (Var = N Var / N); the kernel change must be significantly non-zero.
/// </summary>
public sealed class CoordinateCheckTests
{
    private const double Z = 4.0;
    private static readonly Dataset Data = new(2, [1.0, 0.5, -0.3, 1.2], [0.7, -0.2]);

    [Fact]
    public void MeansAreWidthIndependentAndFeaturesMove() => Check(64, 256, members: 600);

    [FullFact]
    public void MeansAreWidthIndependentAndFeaturesMoveFull() => Check(128, 1024, members: 2000);

    private static void Check(int narrow, int wide, int members)
    {
        const int steps = 10;
        EnsembleResult a = Ensembles.Train("DeepTanh", Data, 1.0, 0.5, steps, narrow, members, seed: 3);
        EnsembleResult b = Ensembles.Train("DeepTanh", Data, 1.0, 0.5, steps, wide, members, seed: 4);
        foreach (int n in new[] { 0, steps })
        {
            Same(a, b, narrow, r => r.Ntk[n][0][1], $"K_01({n})");
            Same(a, b, narrow, r => r.Delta[n][0], $"Delta_0({n})");
            for (int l = 0; l < 3; l++)
            {
                Same(a, b, narrow, r => r.FeatureKernel![l][n][0][0], $"Phi^{l + 1}_00({n})");
                Same(a, b, narrow, r => r.GradientKernel![l][n][1][1], $"G^{l + 1}_11({n})");
            }
        }

        foreach (EnsembleResult r in new[] { a, b })
        {
            double change = r.Mean.Ntk[steps][0][0] - r.Mean.Ntk[0][0][0];
            double stdErr = Math.Sqrt(Math.Pow(r.MeanStdErr.Ntk[steps][0][0], 2) + Math.Pow(r.MeanStdErr.Ntk[0][0][0], 2));
            Assert.True(Math.Abs(change) > Z * stdErr, $"N = {r.Width}: the NTK did not move ({change:G4} ± {stdErr:G3}); features must learn at every width in muP.");
        }
    }

    private static void Same(EnsembleResult a, EnsembleResult b, int narrow, Func<Series, double> pick, string what)
    {
        double difference = pick(a.Mean) - pick(b.Mean);
        double tolerance = (Z * Math.Sqrt(Math.Pow(pick(a.MeanStdErr), 2) + Math.Pow(pick(b.MeanStdErr), 2))) + (pick(a.Nvar) / narrow);
        Assert.True(Math.Abs(difference) <= tolerance, $"{what}: N = {a.Width}: {pick(a.Mean):G6}, N = {b.Width}: {pick(b.Mean):G6}, allowed difference {tolerance:G3}");
    }
}
