// Linked into every test project by tests/Directory.Build.props.
global using FieldTheory.Testing;

namespace FieldTheory.Testing;

/// <summary>The heavy variant of a statistical check: runs only with FTC_FULL_TESTS=1 (CI runs the fast variants).</summary>
internal static class FullTests
{
    public const string Variable = "FTC_FULL_TESTS";

    public static string? SkipReason =>
        Environment.GetEnvironmentVariable(Variable) == "1" ? null : $"heavy statistical variant: set {Variable}=1 to run it";
}

/// <summary>A <see cref="FactAttribute"/> that runs only with FTC_FULL_TESTS=1.</summary>
public sealed class FullFactAttribute : FactAttribute
{
    public FullFactAttribute() => Skip = FullTests.SkipReason;
}

/// <summary>A <see cref="TheoryAttribute"/> that runs only with FTC_FULL_TESTS=1.</summary>
public sealed class FullTheoryAttribute : TheoryAttribute
{
    public FullTheoryAttribute() => Skip = FullTests.SkipReason;
}
