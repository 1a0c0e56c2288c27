using System.Diagnostics;
using System.Text.Json;

namespace FieldTheory.Packaging.Tests;

/// <summary>ftc installs as a .NET tool from the local feed and works.</summary>
[Collection(PackagesCollection.Name)]
public sealed class ToolTests(PackagesFixture packages)
{
    [Fact]
    public void ToolInstallsFromTheFeedAndDescribesAModel()
    {
        string toolPath = Path.Combine(packages.Root, "tools");
        DotNet.Run(packages.Root, "tool", "install", "--tool-path", toolPath, "--configfile", packages.NuGetConfig, "FieldTheory.Cli", "--version", packages.Version);
        string ftc = Path.Combine(toolPath, "ftc");

        Assert.Equal(packages.Version, RunTool(ftc, "--version").Trim());
        using JsonDocument json = JsonDocument.Parse(RunTool(ftc, "describe", "TwoLayerErf", "--json", "--at", "0.5"));
        Assert.Equal("erf", json.RootElement.GetProperty("activation").GetProperty("family").GetString());
        Assert.Equal(2 / Math.Sqrt(Math.PI) * Math.Exp(-0.25), json.RootElement.GetProperty("values")[0].GetProperty("d1").GetDouble(), 1e-15);
    }

    private static string RunTool(string path, params string[] args)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
        return output;
    }
}
