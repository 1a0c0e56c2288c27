using FieldTheory.Generators.Tests.Infrastructure;

namespace FieldTheory.Generators.Tests.Diagnostics;

/// <summary>Models whose names differ only in case: one catalogue entry, one FTC0014, and no generator failure.</summary>
public sealed class DuplicateNameTests
{
    [Fact]
    public void Names_differing_only_in_case_in_one_namespace_report_FTC0014_and_still_compile()
    {
        GeneratorRun run = GeneratorHarness.Run(
            """
            namespace Same;

            [FieldTheory.Network]
            public static partial class Net
            {
                [FieldTheory.Activation] static double Phi(double h) => h;
            }

            [FieldTheory.Network]
            public static partial class NET
            {
                [FieldTheory.Activation] static double Phi(double h) => Math.Tanh(h);
            }
            """);

        Assert.Null(run.Exception);
        Assert.Equal(["FTC0014"], run.GeneratorDiagnostics.Select(d => d.Id));
        Assert.Equal(3, run.Sources.Count);
        run.AssertCompiles();
    }

    [Fact]
    public void A_network_named_like_the_registry_does_not_collide_with_the_registry_file()
    {
        GeneratorRun run = GeneratorHarness.Run(
            """
            namespace FieldTheory;

            [Network]
            public static partial class NetworkModelRegistry
            {
                [Activation] static double Phi(double h) => h;
            }
            """);

        Assert.Null(run.Exception);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(2, run.Sources.Count);
        run.AssertCompiles();
    }
}
