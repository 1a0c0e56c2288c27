using System.Runtime.CompilerServices;

namespace FieldTheory.Packaging.Tests;

/// <summary>
/// Packs FieldTheory and FieldTheory.Cli once into a temporary folder, with a NuGet configuration that sees only that
/// folder and the machine's package cache (as a feed), and a private global packages folder so a re-pack is never
/// shadowed by a stale cached copy. Nothing is downloaded.
/// </summary>
public sealed class PackagesFixture : IDisposable
{
    public PackagesFixture()
    {
        Root = Directory.CreateTempSubdirectory("ftc-pack-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        PackagesFolder = Path.Combine(Root, "packages");
        string repository = RepositoryRoot();
        foreach (string project in new[] { "src/FieldTheory/FieldTheory.csproj", "src/FieldTheory.Cli/FieldTheory.Cli.csproj" })
        {
            DotNet.Run(repository, "pack", project, "-c", "Release", "-o", Feed, "--disable-build-servers", "-p:ContinuousIntegrationBuild=true");
        }

        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        NuGetConfig = Path.Combine(Root, "nuget.config");
        File.WriteAllText(NuGetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
                <add key="machine-cache" value="{cache}" />
              </packageSources>
              <config>
                <add key="globalPackagesFolder" value="{PackagesFolder}" />
              </config>
            </configuration>
            """);
        Version = typeof(PackagesFixture).Assembly.GetName().Version!.ToString(3);
    }

    public string Root { get; }

    public string Feed { get; }

    public string PackagesFolder { get; }

    public string NuGetConfig { get; }

    /// <summary>The version every project gets from Directory.Build.props.</summary>
    public string Version { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}

[CollectionDefinition(Name)]
public sealed class PackagesCollection : ICollectionFixture<PackagesFixture>
{
    public const string Name = "packages";
}
