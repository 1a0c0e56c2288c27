namespace FieldTheory.Generators.Tests.Integration;

/// <summary>Reads phi'(h) from a model's generated activation struct, reached through the model's visitor.</summary>
internal sealed class DerivativeProbe(double h) : INetworkModelVisitor<double>
{
    public double Visit<TActivation>(NetworkModel<TActivation> model)
        where TActivation : struct, IActivation => default(TActivation).Derivative(h);
}
