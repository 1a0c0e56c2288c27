using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Fluctuations.Lazy;
using FieldTheory.Results;
using Xunit.Abstractions;

namespace FieldTheory.Theory.Tests;

/// <summary>
/// The universal lazy form (DESIGN.md 4.4) for deep linear networks, with N Cov of the initial NTK from the deep linear
/// propagator at n = 0: the known closed form of N Var K(0), and the full propagator tending to it as gamma0 -> 0.
/// </summary>
public sealed class DeepLazyFluctuationTests(ITestOutputHelper output)
{
    /// <summary>Two non-orthogonal training points and a test point, centered (the lazy form's convention).</summary>
    private const string Body = """ "data": { "kind": "inline", "x": [[1, 0], [0.6, 0.8]], "y": [1, -0.5], "testX": [[0.8, -0.6]] }, "centered": true, "eta": 0.1, "steps": 8, "theory": { "fluctuations": true } """;

    [Theory]
    [InlineData(2, 20.0)]
    [InlineData(3, 56.0)]
    public void InitialNtkVarianceIsTheClosedForm(int layers, double expected)
    {
        // DESIGN.md 4.5: N Var K(0) = (2/3) L (L + 1)(2L + 1) for x = 1.
        double[] kappa = DeepLazyFluctuations.InitialNtkCovariance(layers, [1.0], 1, 1, CancellationToken.None);
        Assert.Equal(expected, kappa[0], 9);
    }

    [Fact]
    public void FullPropagatorTendsToTheLazyFormAsGamma0Vanishes()
    {
        TheoryResult lazy = Run("DeepLinear", 1e-4, Body);
        Assert.StartsWith("lazy limit", lazy.Method);
        Assert.Contains("universal lazy form", lazy.Method);
        Assert.Null(lazy.Unavailable);

        // The deep linear propagator at gamma0 = 0.02 and 0.01 (not routed to the lazy limit): its distance from the
        // lazy form must be small and shrink like gamma0^2 (measured: 4.0x per halving), for every series.
        double coarse = LargestRelativeDistance(Run("DeepLinear", 0.02, Body).Nvar!, lazy.Nvar!);
        double fine = LargestRelativeDistance(Run("DeepLinear", 0.01, Body).Nvar!, lazy.Nvar!);
        Assert.True(fine < 1e-3, $"relative distance {fine:E2} at gamma0 = 0.01");
        Assert.InRange(coarse / fine, 3.0, 5.0); // second order: 4
    }

    [Fact]
    public void SmoothDeepNetworksTendToTheLazyFormWithinSamplingErrors()
    {
        // DeepTanh (three hidden layers), one point, centered: kappa_K sampled by the deep nonlinear propagator at n = 0
        // against the full propagator at gamma0 = 0.01 (its own samples), each with the standard error of its replicas.
        const string OnePoint = """ "data": { "kind": "scalar", "x": 1, "y": 1 }, "centered": true, "eta": 0.1, "steps": 4, "theory": { "fluctuations": true, "sites": 20000, "seed": 5 } """;
        TheoryResult lazy = Run("DeepTanh", 1e-4, OnePoint);
        TheoryResult full = Run("DeepTanh", 0.01, OnePoint);
        Assert.Contains("deep nonlinear propagator at n = 0", lazy.Method, StringComparison.Ordinal);
        for (int n = 1; n <= 4; n++)
        {
            double a = lazy.Nvar!.Delta[n][0], b = full.Nvar!.Delta[n][0];
            double errorLazy = lazy.NvarIntegrationError!.Delta[n][0], errorFull = full.NvarIntegrationError!.Delta[n][0];
            double se = Math.Sqrt((errorLazy * errorLazy) + (errorFull * errorFull));
            output.WriteLine($"n = {n}: lazy {a:G5} +- {errorLazy:G2}, full {b:G5} +- {errorFull:G2}");
            Assert.True(Math.Abs(a - b) <= 3.5 * se, $"n = {n}: lazy {a}, full at gamma0 = 0.01 {b}, combined SE {se}");
        }
    }

    [Fact]
    public void UncoveredLazyRunsNameTheReason()
    {
        TheoryResult uncentered = Run("DeepLinear", 1e-4, Body.Replace("\"centered\": true", "\"centered\": false", StringComparison.Ordinal));
        Assert.Null(uncentered.Nvar);
        Assert.Contains(uncentered.Unavailable!, gap => gap.StartsWith("nvar: the universal lazy form", StringComparison.Ordinal) && gap.Contains("centered", StringComparison.Ordinal));
        TheoryResult relu = Run("DeepRelu", 1e-4, Body);
        Assert.Null(relu.Nvar);
        Assert.Contains(relu.Unavailable!, gap => gap.Contains("smooth activation", StringComparison.Ordinal));
    }

    private static TheoryResult Run(string model, double gamma0, string body)
    {
        Experiment experiment = ExperimentParser.Parse($$"""{ "model": "{{model}}", "gamma0": {{gamma0.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}, {{body}} }""");
        return TheoryRunner.Run(experiment, TheoryFixture.Model(model), DataFactory.Build(experiment.Data), null, CancellationToken.None);
    }

    // Largest |a - b| / max |b| over N Var of Delta, the test output, the NTK entries and the loss, each series scaled by its own largest value.
    private static double LargestRelativeDistance(Series full, Series lazy)
    {
        static double Distance(IEnumerable<double> a, IEnumerable<double> b)
        {
            double[] x = [.. a], y = [.. b];
            double scale = y.Max(Math.Abs);
            return x.Zip(y, (u, v) => Math.Abs(u - v)).Max() / scale;
        }

        return new[]
        {
            Distance(full.Delta.SelectMany(r => r), lazy.Delta.SelectMany(r => r)),
            Distance(full.TestF!.SelectMany(r => r), lazy.TestF!.SelectMany(r => r)),
            Distance(full.Ntk.SelectMany(r => r.SelectMany(c => c)), lazy.Ntk.SelectMany(r => r.SelectMany(c => c))),
            Distance(full.Loss, lazy.Loss),
        }.Max();
    }
}
