namespace FieldTheory.Convolutions.Tests;

/// <summary>A heavy statistical test that runs only when the environment variable FTC_FULL_TESTS=1 is set.</summary>
public sealed class FullTestFactAttribute : FactAttribute
{
    public FullTestFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("FTC_FULL_TESTS") != "1")
        {
            Skip = "heavy statistical variant; set FTC_FULL_TESTS=1 to run it.";
        }
    }
}
