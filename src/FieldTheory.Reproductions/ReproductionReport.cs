using System.Text;

namespace FieldTheory.Reproductions;

/// <summary>A numerical check of a claim: what was compared, whether it held, and the numbers.</summary>
public sealed record ClaimCheck(string Name, bool Passed, string Detail);

/// <summary>What a reproduction found: settings, outcomes, checks of the claim, and the files written.</summary>
public sealed record ReproductionReport(
    string Name,
    string Summary,
    string Claim,
    bool Quick,
    IReadOnlyList<string> Settings,
    IReadOnlyList<string> Outcomes,
    IReadOnlyList<ClaimCheck> Checks,
    IReadOnlyList<string> Files,
    TimeSpan Elapsed)
{
    /// <summary>True when every check held.</summary>
    public bool ClaimHolds => Checks.Count > 0 && Checks.All(c => c.Passed);

    /// <summary>The report as markdown (written as report.md).</summary>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine($"# {Name}{(Quick ? " (quick)" : string.Empty)}").AppendLine();
        md.AppendLine(Summary).AppendLine();
        md.AppendLine("## Claim").AppendLine().AppendLine(Claim).AppendLine();
        md.AppendLine("## Settings").AppendLine();
        foreach (string s in Settings)
        {
            md.AppendLine($"- {s}");
        }

        md.AppendLine().AppendLine("## What came out").AppendLine();
        foreach (string o in Outcomes)
        {
            md.AppendLine($"- {o}");
        }

        md.AppendLine().AppendLine("## Checks").AppendLine().AppendLine("| check | result | numbers |").AppendLine("|---|---|---|");
        foreach (ClaimCheck c in Checks)
        {
            md.AppendLine($"| {c.Name} | {(c.Passed ? "holds" : "**fails**")} | {c.Detail} |");
        }

        md.AppendLine().AppendLine("## Files").AppendLine();
        foreach (string f in Files)
        {
            string name = Path.GetFileName(f);
            md.AppendLine(name.EndsWith(".png", StringComparison.Ordinal) ? $"![{name}]({name})" : $"- [{name}]({name})");
        }

        md.AppendLine().AppendLine($"Run time {Elapsed.TotalSeconds:F0} s; {BuildInfo.Version}.");
        return md.ToString();
    }
}
