using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace FieldTheory.Benchmarks;

/// <summary>
/// Runs a baseline script of tests/baselines with /usr/bin/python3 (or FTC_PYTHON when set) and returns the seconds of its training loop, as the
/// script itself times it (interpreter start and imports excluded).
/// </summary>
internal static partial class PythonBaseline
{
    public static double Seconds(string script, params string[] arguments)
    {
        string path = Path.Combine(RepositoryRoot(), "tests", "baselines", script);
        string python = Environment.GetEnvironmentVariable("FTC_PYTHON") is { Length: > 0 } chosen ? chosen : "/usr/bin/python3";
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(path);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + python);
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Match match = LoopSeconds().Match(output);
        if (process.ExitCode != 0 || !match.Success)
        {
            throw new InvalidOperationException($"{script} failed (exit {process.ExitCode}): {output}{error}");
        }

        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The 1-minute load average, from /proc/loadavg.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "tests", "baselines")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("tests/baselines not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@": ([0-9.]+) s,")]
    private static partial Regex LoopSeconds();
}
