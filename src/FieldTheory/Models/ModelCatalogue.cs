using System.Reflection;

namespace FieldTheory;

/// <summary>A set of compiled models, looked up by name (case-insensitive).</summary>
public sealed class ModelCatalogue
{
    private readonly Dictionary<string, NetworkModel> _byName;

    /// <summary>Creates a catalogue; names must be unique ignoring case.</summary>
    public ModelCatalogue(IEnumerable<NetworkModel> models)
    {
        _byName = new Dictionary<string, NetworkModel>(StringComparer.OrdinalIgnoreCase);
        foreach (NetworkModel model in models)
        {
            if (!_byName.TryAdd(model.Name, model))
            {
                throw new ArgumentException($"Two models are named '{model.Name}'; catalogue names must be unique.", nameof(models));
            }
        }

        Models = _byName.Values.OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>All models, ordered by name.</summary>
    public IReadOnlyList<NetworkModel> Models { get; }

    /// <summary>The models an assembly declares (through its generated <see cref="NetworkModelsAttribute"/>).</summary>
    public static IReadOnlyList<NetworkModel> ModelsIn(Assembly assembly)
    {
        NetworkModelsAttribute? attribute = assembly.GetCustomAttribute<NetworkModelsAttribute>();
        if (attribute is null)
        {
            return [];
        }

        var provider = (INetworkModelProvider)Activator.CreateInstance(attribute.ProviderType)!;
        return provider.Models;
    }

    /// <summary>A catalogue of the models declared in the given assemblies.</summary>
    public static ModelCatalogue FromAssemblies(params Assembly[] assemblies) =>
        new(assemblies.SelectMany(ModelsIn));

    /// <summary>Finds a model by name.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NetworkModel? model) =>
        _byName.TryGetValue(name, out model);

    /// <summary>Finds a model by name, or throws <see cref="KeyNotFoundException"/> with the list of known names.</summary>
    public NetworkModel Get(string name) =>
        TryGet(name, out NetworkModel? model)
            ? model
            : throw new KeyNotFoundException(
                $"Unknown model '{name}'. Known models: {string.Join(", ", Models.Select(m => m.Name))}.");
}
