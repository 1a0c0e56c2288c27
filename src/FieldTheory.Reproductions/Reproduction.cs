namespace FieldTheory.Reproductions;

/// <summary>
/// One of the source paper's results, reproduced end to end: runs its experiments (theory and ensembles), checks the
/// claim numerically, and writes figures (PNG and SVG), the numbers behind them (CSV and result JSON) and a markdown
/// report. <see cref="ReproductionOptions.Quick"/> selects a reduced version that CI runs as a test.
/// </summary>
public abstract class Reproduction
{
    /// <summary>Command-line name, e.g. <c>edge-of-stability</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line for <c>ftc reproduce --list</c>.</summary>
    public abstract string Summary { get; }

    /// <summary>The claim being reproduced, as the report states it.</summary>
    public abstract string Claim { get; }

    /// <summary>Expected run time of the quick version on 2 cores.</summary>
    public abstract TimeSpan QuickTime { get; }

    /// <summary>Expected run time of the full version on 2 cores.</summary>
    public abstract TimeSpan FullTime { get; }

    /// <summary>Runs the reproduction and writes everything into <see cref="ReproductionOptions.OutputDirectory"/>.</summary>
    public ReproductionReport Run(ReproductionOptions options, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        var context = new ReproductionContext(this, options, progress, cancellationToken);
        RunCore(context);
        return context.Finish();
    }

    /// <summary>The experiments, checks and figures of this reproduction.</summary>
    protected abstract void RunCore(ReproductionContext context);
}

/// <summary>How to run a reproduction.</summary>
/// <param name="Quick">The reduced version (fewer widths, members and settings).</param>
/// <param name="OutputDirectory">Where figures, CSV, JSON and report.md go.</param>
public sealed record ReproductionOptions(bool Quick, string OutputDirectory);
