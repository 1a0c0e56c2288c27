namespace FieldTheory.Models;

/// <summary>The catalogue of models that ship with FieldTheoryCompiler.</summary>
public static class BuiltInModels
{
    /// <summary>Every built-in model, by name.</summary>
    public static ModelCatalogue Catalogue { get; } = ModelCatalogue.FromAssemblies(typeof(BuiltInModels).Assembly);
}
