namespace FieldTheory.Fluctuations.Tests;

/// <summary>A heavy statistical check that runs only when FTC_FULL_TESTS=1 (the CI runs its fast variant).</summary>
public sealed class FullFactAttribute : FactAttribute
{
    public FullFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FTC_FULL_TESTS") != "1")
        {
            Skip = "heavy variant: set FTC_FULL_TESTS=1";
        }
    }
}
