namespace FieldTheory.Compilation;

/// <summary>A model file could not be read or compiled; <see cref="Diagnostics"/> lists the errors, one per line.</summary>
public sealed class ModelCompilationException(string message, IReadOnlyList<string> diagnostics) : Exception(message)
{
    /// <summary>Errors in the C# compiler's format: <c>path(line,col): error ID: message</c>.</summary>
    public IReadOnlyList<string> Diagnostics { get; } = diagnostics;
}
