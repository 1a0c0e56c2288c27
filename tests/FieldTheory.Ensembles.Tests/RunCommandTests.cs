using System.Diagnostics;
using FieldTheory.Results;

namespace FieldTheory.Ensembles.Tests;

/// <summary><c>ftc run</c> end to end: the real executable on small experiment files.</summary>
public sealed class RunCommandTests : IDisposable
{
    private const string Valid = """
        { "model": "TwoLayerTanh", "data": { "kind": "scalar", "x": 1.0, "y": 1.0 },
          "gamma0": 1.0, "eta": 0.1, "steps": 20, "centered": false,
          "ensemble": { "width": 32, "members": 50, "seed": 1 } }
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("ftc-run-").FullName;

    [Fact]
    public void RunWritesResultJsonAndSummary()
    {
        string experiment = Write("exp.json", Valid);
        string output = Path.Combine(_folder, "out.json");
        (int code, string stdout, string stderr) = Ftc("run", experiment, "--out", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("Final loss", stdout);
        ExperimentResult result = ResultJson.Deserialize(File.ReadAllText(output));
        Assert.Equal(21, result.Time.Length);
        Assert.Equal(21, result.Ensemble!.Mean.Loss.Length);
        Assert.Equal(32, result.Ensemble.Width);
        Assert.False(result.Convention.Centered);
        Assert.Null(result.Ensemble.DivergedAtStep);
    }

    [Fact]
    public void DefaultOutputIsNextToTheExperiment()
    {
        string experiment = Write("default.json", Valid);
        (int code, string stdout, string stderr) = Ftc("run", experiment);
        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(Path.Combine(_folder, "default.result.json")));
        Assert.Contains("default.result.json", stdout.Replace("\n", string.Empty).Replace("│", string.Empty).Replace(" ", string.Empty));
    }

    [Theory]
    [InlineData("\"TwoLayerTanh\"", "\"NoSuchModel\"", "model: unknown model \"NoSuchModel\"")]
    [InlineData("\"seed\": 1", "\"seed\": 1, \"colour\": 2", "ensemble.colour: unknown key")]
    [InlineData("\"width\": 32", "\"width\": -4", "ensemble.width: -4 is not allowed")]
    [InlineData("\"gamma0\": 1.0", "\"gamma0\": 1e999", "gamma0")]
    public void BadInputGivesOneClearLine(string find, string replace, string expected) =>
        OneClearLine(Valid.Replace(find, replace), expected);

    [Fact]
    public void DivergingEtaIsReportedWithItsStep() =>
        OneClearLine(Valid.Replace("TwoLayerTanh", "TwoLayerLinear").Replace("\"eta\": 0.1", "\"eta\": 5"), "eta: the ensemble diverged at step 4 (t = 20)");

    // phi = h^3 at eta gamma0 = 0.025: on the full grid the outermost sites blow up within a few steps.
    [Fact]
    public void DivergingTheoryIsReportedWithItsStep() =>
        OneClearLine(
            """
            { "model": "Cubic", "data": { "kind": "scalar", "x": 1, "y": 1 }, "gamma0": 0.5, "eta": 0.05, "steps": 40,
              "theory": { "sites": 4096, "integration": "quadrature", "prunedMass": 0 } }
            """,
            "eta: the infinite-width theory diverged at step");

    private void OneClearLine(string text, string expected)
    {
        string experiment = Write("bad.json", text);
        (int code, _, string stderr) = Ftc("run", experiment, "--out", Path.Combine(_folder, "bad.result.json"));
        Assert.Equal(1, code);
        string[] lines = stderr.Trim().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("ftc: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void UnknownDeviceIsAUsageError()
    {
        string experiment = Write("dev.json", Valid);
        (int code, _, string stderr) = Ftc("run", experiment, "--device", "tpu");
        Assert.Equal(1, code);
        Assert.Contains("--device", stderr);
    }

    [Fact]
    public async Task CtrlCStopsTheRunCleanlyWithoutAResult()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // SIGINT is sent with kill(1)
        }

        if (SigintIgnoredHere())
        {
            // Started as a background job without job control (for example `cmd &` in a script): SIGINT is ignored and
            // every child inherits that, so Ctrl-C cannot reach ftc; nothing about ftc can be tested here.
            return;
        }

        // Minutes of work: interrupted once the run is surely under way (seconds of CPU time spent, JIT and parsing done).
        string experiment = Write("long.json", Valid.Replace("\"steps\": 20", "\"steps\": 200000").Replace("\"members\": 50", "\"members\": 4000").Replace("\"width\": 32", "\"width\": 512"));
        string output = Path.Combine(_folder, "long.result.json");
        using Process process = Start("run", experiment, "--out", output);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        var waited = Stopwatch.StartNew();
        while (!process.HasExited && process.TotalProcessorTime < TimeSpan.FromSeconds(4) && waited.Elapsed < TimeSpan.FromMinutes(2))
        {
            await Task.Delay(100);
            process.Refresh(); // TotalProcessorTime is cached until then
        }

        if (process.HasExited)
        {
            Assert.Fail($"the run ended before it was interrupted: {await stderr}");
        }

        using (Process kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("ftc did not stop within 60 s of Ctrl-C");
        }

        Assert.Equal(130, process.ExitCode);
        Assert.Equal("ftc: interrupted; no result written.", (await stderr).Trim());
        Assert.DoesNotContain("   at ", await stdout);
        Assert.False(File.Exists(output));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Bit 1 of the SigIgn mask in /proc/self/status is SIGINT (signal 2).
    private static bool SigintIgnoredHere()
    {
        string? line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) : null;
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 2UL) != 0;
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Out, string Error) Ftc(params string[] args) => FtcProcess.Run(args);

    private static Process Start(params string[] args) => FtcProcess.Start(args);
}
