namespace FieldTheory.TwoLayerFluctuations.Tests;

/// <summary>A heavy statistical check: runs only with FTC_FULL_TESTS=1 (CI runs the fast variants).</summary>
public sealed class FullFactAttribute : FactAttribute
{
    public FullFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FTC_FULL_TESTS") != "1")
        {
            Skip = "full statistical variant: set FTC_FULL_TESTS=1 to run it";
        }
    }
}

/// <summary>A heavy parameterised statistical check: runs only with FTC_FULL_TESTS=1.</summary>
public sealed class FullTheoryAttribute : TheoryAttribute
{
    public FullTheoryAttribute()
    {
        if (Environment.GetEnvironmentVariable("FTC_FULL_TESTS") != "1")
        {
            Skip = "full statistical variant: set FTC_FULL_TESTS=1 to run it";
        }
    }
}
