namespace FieldTheory;

/// <summary>
/// A compiled network model: metadata plus the generated activation. Solvers that need the activation as a
/// compile-time type (ILGPU kernels, inlined loops) reach it through <see cref="Accept{TResult}"/>.
/// </summary>
public abstract class NetworkModel
{
    private protected NetworkModel(ModelInfo info) => Info = info;

    /// <summary>Name, depth and activation metadata.</summary>
    public ModelInfo Info { get; }

    /// <summary>Catalogue name.</summary>
    public string Name => Info.Name;

    /// <summary>Number of hidden layers L.</summary>
    public int HiddenLayers => Info.HiddenLayers;

    /// <summary>phi(h).</summary>
    public abstract double Phi(double h);

    /// <summary>phi(h) and its first three derivatives.</summary>
    public abstract ActivationJet Jet(double h);

    /// <summary>Calls <paramref name="visitor"/> with the model's generated activation struct as type argument.</summary>
    public abstract TResult Accept<TResult>(INetworkModelVisitor<TResult> visitor);

    /// <inheritdoc />
    public override string ToString() => $"{Name} (L = {HiddenLayers}, phi(h) = {Info.Activation.Phi})";
}

/// <summary>A <see cref="NetworkModel"/> whose activation is the generated struct <typeparamref name="TActivation"/>.</summary>
public sealed class NetworkModel<TActivation> : NetworkModel
    where TActivation : struct, IActivation
{
    /// <summary>Used by generated code.</summary>
    public NetworkModel(ModelInfo info) : base(info)
    {
    }

    /// <inheritdoc />
    public override double Phi(double h) => default(TActivation).Value(h);

    /// <inheritdoc />
    public override ActivationJet Jet(double h) => default(TActivation).Jet(h);

    /// <inheritdoc />
    public override TResult Accept<TResult>(INetworkModelVisitor<TResult> visitor) => visitor.Visit<TActivation>(this);
}

/// <summary>Receives a model together with its activation as a type argument (see <see cref="NetworkModel.Accept{TResult}"/>).</summary>
public interface INetworkModelVisitor<out TResult>
{
    /// <summary>Called with the model's activation struct.</summary>
    TResult Visit<TActivation>(NetworkModel<TActivation> model)
        where TActivation : struct, IActivation;
}
