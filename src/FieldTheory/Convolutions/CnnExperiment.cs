using System.Text.Json;
using FieldTheory.Data;
using FieldTheory.Experiments;

namespace FieldTheory.Convolutions;

/// <summary>
/// A CNN width sweep as read from JSON (docs/cnn.md): the model name, an image subset and the sweep.
/// <code>
/// { "model": "FashionCnn",
///   "data": { "kind": "fashion-mnist", "train": 32, "test": 64, "classes": [0, 1], "seed": 1 },
///   "gamma0": 1.0, "eta": 0.03, "steps": 24, "recordEvery": 8, "batch": 16,
///   "widths": [4, 8, 16], "members": 100, "seed": 1, "ntkProbe": 8 }
/// </code>
/// <c>batch</c> is optional (full-batch gradient descent without it); <c>data.kind</c> is fashion-mnist or cifar10;
/// <c>ntkProbe</c> (default 0, off) records the exact NTK on that many test images; <c>targets</c> is "+-1" (the
/// default: one output, exactly two classes) or "one-hot" (one output per listed class, two or more classes).
/// </summary>
/// <param name="Model">Name of a [ConvolutionalNetwork] model.</param>
/// <param name="Data">The images.</param>
/// <param name="Settings">The sweep.</param>
internal sealed record CnnExperiment(string Model, ImageData Data, CnnBiasVarianceSettings Settings)
{
    /// <summary>Reads a CNN experiment file; errors are <see cref="ExperimentException"/>s naming the field.</summary>
    public static CnnExperiment ParseFile(string path) =>
        Parse(ExperimentParser.ReadFile(path), Path.GetDirectoryName(Path.GetFullPath(path)));

    /// <summary>Parses CNN experiment JSON; relative data paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static CnnExperiment Parse(string json, string? baseDirectory = null)
    {
        JsonDocument document = ExperimentParser.ParseDocument(json);
        using (document)
        {
            var root = new JsonFields(document.RootElement, string.Empty);
            string model = root.String("model") ?? throw new ExperimentException("model", "missing; expected the name of a convolutional network, e.g. \"FashionCnn\".");
            if (ExperimentParser.ReadData(root.Object("data"), baseDirectory, manyClasses: true) is not ImageData data || data.Test < 1)
            {
                throw new ExperimentException("data", "expected \"kind\": \"fashion-mnist\" or \"cifar10\" with at least one test image: a CNN sweep measures the test loss on images.");
            }

            CnnTargets targets = root.Choice("targets", "+-1", "+-1", "one-hot") == "one-hot" ? CnnTargets.OneHot : CnnTargets.PlusMinusOne;
            if (targets == CnnTargets.PlusMinusOne && data.Classes.Length != 2)
            {
                throw new ExperimentException("data.classes", $"+-1 targets take exactly two classes, but {data.Classes.Length} are listed; set \"targets\": \"one-hot\" to train one output per class.");
            }

            double[] widths = root.Numbers("widths") ?? throw new ExperimentException("widths", "missing; expected at least two widths, e.g. [4, 8, 16].");
            if (widths.Length < 2 || widths.Any(w => w != Math.Floor(w) || w < 1 || w > 4096) || widths.Distinct().Count() != widths.Length)
            {
                throw new ExperimentException("widths", "expected at least two different integer widths from 1 to 4096, e.g. [4, 8, 16].");
            }

            int steps = root.Integer("steps", min: 0, max: 1_000_000);
            var settings = new CnnBiasVarianceSettings(
                [.. widths.Select(w => (int)w)],
                root.Integer("members", min: 2, max: 1 << 20),
                root.Number("gamma0", min: 0.0, exclusiveMin: true),
                root.Number("eta", min: 0.0, exclusiveMin: true),
                steps,
                root.Seed("seed", 1),
                root.Has("batch") ? root.Integer("batch", min: 1, max: data.Train) : null,
                root.Integer("recordEvery", 0, 0, Math.Max(0, steps)),
                root.Integer("ntkProbe", 0, 0, data.Test),
                targets);
            root.RejectUnknown();
            return new CnnExperiment(model, data, settings);
        }
    }
}
