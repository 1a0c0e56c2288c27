namespace FieldTheory;

/// <summary>
/// Declares a fully connected mean-field (muP) network whose nonlinearity is the type's <see cref="ActivationAttribute"/>
/// method. The source generator compiles the declaration into an activation calculus, metadata and a catalogue entry
/// (DESIGN.md sections 2 and 6.1). The type must be a non-generic, top-level <c>partial</c> class.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Number of hidden layers L (DESIGN.md section 2); at least 1. A two-layer network has L = 1.</summary>
    public int HiddenLayers { get; set; } = 1;
}
