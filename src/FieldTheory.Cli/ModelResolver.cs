using FieldTheory.Compilation;
using FieldTheory.Models;

namespace FieldTheory.Cli;

/// <summary>Finds the model a command names: a catalogue entry, or the single model of a <c>.cs</c> file.</summary>
internal static class ModelResolver
{
    public static NetworkModel Resolve(string? name, string? modelFile)
    {
        if (modelFile is not null)
        {
            if (!File.Exists(modelFile))
            {
                throw new UserInputException($"--model-file: file '{modelFile}' does not exist.");
            }

            IReadOnlyList<NetworkModel> models = ModelCompiler.CompileFile(modelFile);
            if (name is null)
            {
                return models.Count == 1
                    ? models[0]
                    : throw new UserInputException(
                        $"--model-file: '{modelFile}' declares {models.Count} models ({string.Join(", ", models.Select(m => m.Name))}); name one.");
            }

            return models.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new UserInputException($"model '{name}' is not declared in '{modelFile}'; it declares {string.Join(", ", models.Select(m => m.Name))}.");
        }

        if (name is null)
        {
            throw new UserInputException("name a model (see 'ftc models') or pass --model-file <path.cs>.");
        }

        ModelCatalogue catalogue = BuiltInModels.Catalogue;
        return catalogue.TryGet(name, out NetworkModel? model)
            ? model
            : throw new UserInputException($"unknown model '{name}'. Known models: {string.Join(", ", catalogue.Models.Select(m => m.Name))}.");
    }
}
