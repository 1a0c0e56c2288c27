namespace FieldTheory;

/// <summary>Metadata of a compiled network model.</summary>
/// <param name="Name">Catalogue name (the declaring type's name).</param>
/// <param name="TypeName">Fully qualified name of the declaring type.</param>
/// <param name="HiddenLayers">L in DESIGN.md section 2.</param>
/// <param name="Activation">The compiled nonlinearity.</param>
public sealed record ModelInfo(string Name, string TypeName, int HiddenLayers, ActivationInfo Activation);
