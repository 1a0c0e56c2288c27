namespace FieldTheory;

/// <summary>
/// Emitted by the generator once per assembly that declares models: names the generated
/// <see cref="INetworkModelProvider"/> through which <see cref="ModelCatalogue"/> finds them.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class NetworkModelsAttribute(Type providerType) : Attribute
{
    /// <summary>A type with a public parameterless constructor implementing <see cref="INetworkModelProvider"/>.</summary>
    public Type ProviderType { get; } = providerType;
}

/// <summary>Lists the models of one assembly; implemented by generated code.</summary>
public interface INetworkModelProvider
{
    /// <summary>The assembly's models, in declaration-name order.</summary>
    IReadOnlyList<NetworkModel> Models { get; }
}
