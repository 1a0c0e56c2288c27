namespace FieldTheory.Tests.Cli;

/// <summary>Runs the real ftc executable (copied next to the tests) and captures its output.</summary>
internal static class Ftc
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(params string[] args)
    {
        (int code, string stdout, string stderr) = FtcProcess.Run(args);
        return new Result(code, stdout, stderr);
    }
}
