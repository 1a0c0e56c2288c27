// Linked into every test project by tests/Directory.Build.props; used by those that copy ftc.dll next to the tests.
using System.Diagnostics;

namespace FieldTheory.Testing;

/// <summary>Runs the real ftc executable (ftc.dll next to the tests) without colours, on a wide virtual console.</summary>
internal static class FtcProcess
{
    /// <summary>Starts ftc with <paramref name="args"/>, output and error redirected.</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ftc.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        start.Environment["COLUMNS"] = "200";
        return Process.Start(start)!;
    }

    /// <summary>Runs ftc to the end: its exit code, output and error.</summary>
    public static (int Code, string Out, string Error) Run(params string[] args)
    {
        using Process process = Start(args);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
