using System.Runtime.CompilerServices;

namespace FieldTheory.Generators.Tests.Infrastructure;

/// <summary>
/// A small Verify-style snapshot helper: compares text with <c>Snapshots/&lt;name&gt;.verified.cs</c> next to the
/// calling test; on a mismatch writes <c>&lt;name&gt;.received.cs</c> and fails with the first differing lines.
/// With <c>FTC_ACCEPT_SNAPSHOTS=1</c> it overwrites the verified file and deletes the received one instead.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "FTC_ACCEPT_SNAPSHOTS";

    private const int MaxReportedLines = 10;

    public static void Verify(string actual, string name, [CallerFilePath] string callerPath = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(callerPath)!, "Snapshots");
        string verifiedPath = Path.Combine(directory, name + ".verified.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");
        string normalized = Normalize(actual);

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verifiedPath, normalized);
            File.Delete(receivedPath);
            return;
        }

        string? verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (verified == normalized)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, normalized);
        string reason = verified is null
            ? $"No verified snapshot {verifiedPath}."
            : $"Snapshot {name} differs from {verifiedPath}:\n{LineDiff.Describe(verified, normalized, MaxReportedLines)}";
        Assert.Fail($"{reason}\nReceived: {receivedPath}\nRun with {AcceptVariable}=1 to accept.");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
