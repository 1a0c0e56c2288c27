using System.Runtime.CompilerServices;

namespace FieldTheory.Tests.PublicApi;

/// <summary>
/// Compares an API listing with the committed <c>&lt;name&gt;.publicapi.txt</c> next to the calling test. On a
/// mismatch it writes <c>&lt;name&gt;.publicapi.received.txt</c> and fails with the lines added to and removed from the
/// public API. With <c>FTC_ACCEPT_SNAPSHOTS=1</c> (the convention of the generator's snapshots) it overwrites the
/// committed file instead.
/// </summary>
internal static class ApiSnapshot
{
    public const string AcceptVariable = "FTC_ACCEPT_SNAPSHOTS";

    public static void Verify(string actual, string name, [CallerFilePath] string callerPath = "")
    {
        string directory = Path.GetDirectoryName(callerPath)!;
        string verifiedPath = Path.Combine(directory, name + ".publicapi.txt");
        string receivedPath = Path.Combine(directory, name + ".publicapi.received.txt");

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.WriteAllText(verifiedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        string? verified = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        if (verified == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        string[] expectedLines = verified?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [];
        string[] actualLines = actual.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string added = string.Join("\n", actualLines.Except(expectedLines, StringComparer.Ordinal).Select(l => "  + " + l));
        string removed = string.Join("\n", expectedLines.Except(actualLines, StringComparer.Ordinal).Select(l => "  - " + l));
        string reason = verified is null
            ? $"No committed public API listing {verifiedPath}."
            : $"The public API of {name} changed.\nAdded:\n{(added.Length > 0 ? added : "  (nothing)")}\nRemoved:\n{(removed.Length > 0 ? removed : "  (nothing)")}";
        Assert.Fail(
            $"{reason}\nReceived: {receivedPath}\n" +
            "If the change is intended (new public members need XML docs and a line in docs/public-api.md), accept it with\n" +
            $"  {AcceptVariable}=1 dotnet test tests/FieldTheory.Tests --filter FullyQualifiedName~PublicApi\n" +
            "and commit the updated listing; otherwise make the new type or member internal.");
    }
}
