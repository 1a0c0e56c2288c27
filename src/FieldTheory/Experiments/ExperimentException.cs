namespace FieldTheory.Experiments;

/// <summary>
/// An experiment that cannot run as written: the message names the field (a JSON path such as
/// <c>ensemble.width</c>), the value found and what is allowed.
/// </summary>
public sealed class ExperimentException(string field, string message) : Exception($"{field}: {message}")
{
    /// <summary>JSON path of the offending field, e.g. <c>data.kind</c>.</summary>
    public string Field { get; } = field;
}
