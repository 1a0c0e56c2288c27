using System.Diagnostics;
using System.Text.Json;
using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Fluctuations.TwoLayer;
using FieldTheory.Models;
using FieldTheory.Theory.Integration;

namespace FieldTheory.Theory.Benchmarks;

/// <summary>
/// The benchmark cases of the two-layer finite-width propagator (DESIGN.md 4.2), each solved in a fresh child process
/// so that its peak resident memory (VmHWM) is its own:
/// <list type="bullet">
/// <item><c>propagator</c>: P = 1 (x = y = 1), tanh, gamma0 = 1, eta = 0.05, T = 320, 8 randomly rotated 56^2
/// Gauss-Hermite grids (25600 sites requested, 25088 nodes, of which the solver keeps the 10784 that weigh more than 1e-18
/// of the mass together and folds them to 5392), full Sigma over all time pairs and N Var of every output, NTK and
/// feature-kernel row, side by side with the vectorised NumPy baseline tests/baselines/two_layer_propagator_numpy.py on
/// the same grids (the rotations are passed to it; it evaluates every node), which must agree; and the C# solver on
/// every node (prunedMass 0).</item>
/// <item><c>propagator-large</c>: P = 10 gaussian points (D = 16, tanh teacher), T = 200, 65536 scrambled Halton sites
/// (8 replicates of 8192), no baseline; smaller T and sites on request.</item>
/// </list>
/// </summary>
internal static class PropagatorBenchmark
{
    /// <summary>The P = 1 experiment; the same as the forward-integration benchmark's (<see cref="TwoLayerBenchmark.ExperimentJson"/>).</summary>
    public static string SmallExperimentJson(int steps, int sites, double prunedMass = 1e-18) => $$"""
        { "model": "TwoLayerTanh", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 1, "eta": 0.05, "steps": {{steps}},
          "theory": { "sites": {{sites}}, "integration": "quadrature", "prunedMass": {{prunedMass.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}} } }
        """;

    /// <summary>The P = 10 experiment.</summary>
    public static string LargeExperimentJson(int steps, int sites, string method) => $$"""
        { "model": "TwoLayerTanh", "data": { "kind": "gaussian", "dim": 16, "train": 10, "test": 0, "teacher": "tanh", "seed": 3 },
          "gamma0": 1, "eta": 0.05, "steps": {{steps}},
          "theory": { "sites": {{sites}}, "integration": "qmc", "fluctuations": true, "fluctuationMethod": "{{method}}" } }
        """;

    /// <summary>
    /// Solves the P = 1 case once untimed (a warm-up, so that the timed solves run fully optimised code after tiered
    /// compilation), then <paramref name="repeats"/> times timed, and prints one JSON line with the last solve's values.
    /// </summary>
    public static void SolveSmall(int repeats, int steps, int sites, double prunedMass)
    {
        NetworkModel model = BuiltInModels.Catalogue.Get("TwoLayerTanh");
        Experiment experiment = ExperimentParser.Parse(SmallExperimentJson(steps, sites, prunedMass));
        Dataset data = DataFactory.Build(experiment.Data);
        var cold = Stopwatch.StartNew();
        FluctuationResult result = Solve(experiment, model, data);
        double firstSolve = cold.Elapsed.TotalSeconds;
        var times = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            result = Solve(experiment, model, data);
            times.Add(clock.Elapsed.TotalSeconds);
        }

        times.Sort();
        int half = steps / 2;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            @case = "propagator",
            seconds = times[0],
            median = times[times.Count / 2],
            firstSolveSeconds = firstSolve,
            peakBytes = Process.GetCurrentProcess().PeakWorkingSet64,
            nvarDeltaHalf = result.Nvar.Delta[half][0],
            nvarNtkHalf = result.Nvar.Ntk[half][0][0],
            nvarDeltaT = result.Nvar.Delta[steps][0],
            nvarNtkT = result.Nvar.Ntk[steps][0][0],
            errorDeltaHalf = result.NvarError.Delta[half][0],
            errorNtkHalf = result.NvarError.Ntk[half][0][0],
            description = result.Method,
        }));
    }

    /// <summary>Solves the P = 10 case once, timed from the parsed experiment to the result, and prints one JSON line.</summary>
    public static void SolveLarge(int steps, int sites, string method)
    {
        var clock = Stopwatch.StartNew();
        Experiment experiment = ExperimentParser.Parse(LargeExperimentJson(steps, sites, method));
        NetworkModel model = BuiltInModels.Catalogue.Get("TwoLayerTanh");
        Dataset data = DataFactory.Build(experiment.Data);
        FluctuationResult result = Solve(experiment, model, data);
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            @case = "propagator-large",
            seconds,
            peakBytes = Process.GetCurrentProcess().PeakWorkingSet64,
            nvarDeltaT = result.Nvar.Delta[steps][0],
            nvarDeltaTError = result.NvarError.Delta[steps][0],
            description = result.Method,
        }));
    }

    /// <summary>
    /// The P = 1 case against the NumPy baseline on the same grid, in <paramref name="rounds"/> interleaved rounds (one
    /// C# child process, then one NumPy process, each solving once), so that both see the same load on a shared
    /// machine; prints the best time of each, the ratio of the bests and each round's ratio, the load average, the
    /// larger of the peak RSS over the rounds and the agreement of N Var Delta and N Var K at T/2 and T. Each round also
    /// runs NumPy with <c>--factored</c> (the sensitivities factored through transfer matrices as the C# solver does):
    /// the issue's baseline is the replayed tangents, and the second ratio says how much of the speed-up is the
    /// algorithm and how much the implementation.
    /// </summary>
    public static void AgainstNumPy(int rounds, int steps, int sites)
    {
        Experiment experiment = ExperimentParser.Parse(SmallExperimentJson(steps, sites));
        IEnumerable<double> rotations = Enumerable.Range(0, SiteRules.Replicates).SelectMany(g => SiteRules.RandomRotation(2, experiment.Theory!.Seed, g));
        int order = SiteRules.GridOrder(sites / SiteRules.Replicates, 2);
        string script = Baselines.Script("two_layer_propagator_numpy.py");
        string rotationArguments = string.Join(' ', rotations.Select(r => r.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        var csharpRounds = new List<JsonElement>();
        var numpyRounds = new List<JsonElement>();
        var factoredRounds = new List<JsonElement>();
        var fullRounds = new List<JsonElement>();
        string startLoad = File.ReadAllText("/proc/loadavg").Trim();
        for (int r = 0; r < rounds; r++)
        {
            csharpRounds.Add(Child(Environment.ProcessPath!, $"propagator-solve 1 {steps} {sites}"));
            numpyRounds.Add(Child(Baselines.Python, $"\"{script}\" {order} {steps} 1 --rotations {rotationArguments}"));
            factoredRounds.Add(Child(Baselines.Python, $"\"{script}\" {order} {steps} 1 --factored --rotations {rotationArguments}"));
            fullRounds.Add(Child(Environment.ProcessPath!, $"propagator-solve 1 {steps} {sites} 0"));
        }

        double[] csharpTimes = [.. csharpRounds.Select(j => j.GetProperty("seconds").GetDouble())];
        double[] numpyTimes = [.. numpyRounds.Select(j => j.GetProperty("seconds").GetDouble())];
        double[] factoredTimes = [.. factoredRounds.Select(j => j.GetProperty("seconds").GetDouble())];
        JsonElement csharp = csharpRounds[0];
        JsonElement numpy = numpyRounds[0];
        double csharpSeconds = csharpTimes.Min();
        double numpySeconds = numpyTimes.Min();
        Console.WriteLine($"load average at start: {startLoad}");
        Console.WriteLine($"load average at end:   {File.ReadAllText("/proc/loadavg").Trim()}; {Environment.ProcessorCount} cores");
        Console.WriteLine($"propagator P = 1, T = {steps}, {SiteRules.Replicates} rotated {order}^2 grids, best of {rounds} interleaved rounds:");
        Console.WriteLine($"  C#:    {csharpSeconds:F3} s (rounds {Seconds(csharpTimes)}), peak RSS {Mb(csharpRounds)} MB; {csharp.GetProperty("description").GetString()}");
        Console.WriteLine($"  NumPy {numpy.GetProperty("numpy").GetString()}: {numpySeconds:F3} s (rounds {Seconds(numpyTimes)}), peak RSS {Mb(numpyRounds)} MB");
        Console.WriteLine($"  speed-up over NumPy: {numpySeconds / csharpSeconds:F2}x (target 30x); per round {string.Join(", ", numpyTimes.Zip(csharpTimes, (n, c) => $"{n / c:F2}x"))}");
        double[] fullTimes = [.. fullRounds.Select(j => j.GetProperty("seconds").GetDouble())];
        Console.WriteLine($"  C# on every node NumPy evaluates (prunedMass 0, folding kept): {fullTimes.Min():F3} s (rounds {Seconds(fullTimes)}): {numpySeconds / fullTimes.Min():F2}x NumPy");
        Console.WriteLine($"  NumPy with the factored sensitivities: {factoredTimes.Min():F3} s (rounds {Seconds(factoredTimes)}), peak RSS {Mb(factoredRounds)} MB; C# {factoredTimes.Min() / csharpSeconds:F2}x faster");
        // Identical nodes: the T/2 values must agree to rounding, amplified by the cancellation in N Var (terms of
        // O(0.1) giving 2e-5 at T/2 in the default case); at T, N Var Delta is ~1e-10 and is printed, not checked.
        foreach ((string name, string label, bool check) in new[] { ("nvarDeltaHalf", "N Var Delta(T/2)", true), ("nvarNtkHalf", "N Var K(T/2)", true), ("nvarDeltaT", "N Var Delta(T)", false), ("nvarNtkT", "N Var K(T)", false) })
        {
            double a = csharp.GetProperty(name).GetDouble();
            double b = numpy.GetProperty(name).GetDouble();
            double factored = factoredRounds[0].GetProperty(name).GetDouble();
            double relative = Math.Max(Math.Abs(a - b), Math.Abs(factored - b)) / Math.Abs(b);
            bool disagree = check && !(relative <= AgreementTolerance);
            Console.WriteLine($"  {label}: C# {a:R}, NumPy {b:R} (factored {factored:R}), largest relative difference {relative:E1}{(disagree ? $" > {AgreementTolerance:E0}: DISAGREE" : string.Empty)}");
            if (disagree)
            {
                Environment.ExitCode = 1;
            }
        }

        Console.WriteLine($"  integration error (spread over the {SiteRules.Replicates} rotations): N Var Delta(T/2) {csharp.GetProperty("errorDeltaHalf").GetDouble():E1}, N Var K(T/2) {csharp.GetProperty("errorNtkHalf").GetDouble():E1}");
    }

    /// <summary>The P = 10 case in a child process: its time and peak resident memory.</summary>
    public static void LargeAlone(int steps, int sites, string method)
    {
        var clock = Stopwatch.StartNew();
        JsonElement result = Child(Environment.ProcessPath!, $"propagator-large-solve {steps} {sites} {method}");
        double process = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"load average at end:   {File.ReadAllText("/proc/loadavg").Trim()}; {Environment.ProcessorCount} cores");
        Console.WriteLine($"propagator P = 10, T = {steps}, {sites} sites, {method}: {result.GetProperty("seconds").GetDouble():F1} s to solve ({process:F1} s for the process), peak RSS {Mb(result)} MB");
        Console.WriteLine($"  N Var Delta_0(T) = {result.GetProperty("nvarDeltaT").GetDouble():R} +- {result.GetProperty("nvarDeltaTError").GetDouble():E1}; {result.GetProperty("description").GetString()}");
    }

    /// <summary>Largest relative difference of the checked values between C# and NumPy on identical nodes.</summary>
    private const double AgreementTolerance = 1e-6;


    private static FluctuationResult Solve(Experiment experiment, NetworkModel model, Dataset data) =>
        TwoLayerFluctuations.Solve(experiment, model, data, TwoLayerFluctuations.Options(experiment), null, CancellationToken.None);

    private static string Mb(JsonElement json) => (json.GetProperty("peakBytes").GetDouble() / 1e6).ToString("F0");

    private static string Mb(IEnumerable<JsonElement> rounds) => (rounds.Max(j => j.GetProperty("peakBytes").GetDouble()) / 1e6).ToString("F0");

    private static string Seconds(double[] times) => string.Join(", ", times.Select(t => t.ToString("F3")));

    private static JsonElement Child(string file, string arguments)
    {
        using Process process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true })!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} exited with code {process.ExitCode}.");
        }

        string line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
