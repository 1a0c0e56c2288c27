using System.Globalization;
using System.Text.Json;
using FieldTheory.Data;
using FieldTheory.Theory.Integration;

namespace FieldTheory.Experiments;

/// <summary>
/// Reads experiment files (JSON with comments and trailing commas allowed). Every problem becomes an
/// <see cref="ExperimentException"/> naming the field; nothing is silently defaulted except the documented defaults.
/// </summary>
public static class ExperimentParser
{
    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Parses the file at <paramref name="path"/>; a relative <c>modelFile</c> or <c>data.path</c> is resolved against its folder.</summary>
    public static Experiment ParseFile(string path) => Parse(ReadFile(path), Path.GetDirectoryName(Path.GetFullPath(path)));

    /// <summary>The text of an experiment file, or an <see cref="ExperimentException"/> saying why it cannot be read.</summary>
    internal static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ExperimentException("(file)", $"cannot read '{path}': {e.Message}");
        }
    }

    /// <summary>Experiment JSON as a document (comments and trailing commas allowed), or an error naming the line.</summary>
    internal static JsonDocument ParseDocument(string json)
    {
        try
        {
            return JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new ExperimentException("(file)", $"not valid JSON at line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}: {e.Message.Split(" LineNumber", 2)[0]}");
        }
    }

    /// <summary>Parses experiment JSON; relative paths are resolved against <paramref name="baseDirectory"/> when given.</summary>
    public static Experiment Parse(string json, string? baseDirectory = null)
    {
        using (JsonDocument document = ParseDocument(json))
        {
            var root = new JsonFields(document.RootElement, string.Empty);
            ModelReference model = ReadModel(root, baseDirectory);
            DataSpec data = ReadData(root.Object("data"), baseDirectory);
            double gamma0 = root.Number("gamma0", min: 0.0, exclusiveMin: true);
            double eta = root.Number("eta", min: 0.0, exclusiveMin: true);
            int steps = root.Integer("steps", min: 1, max: 1_000_000);
            bool centered = root.Bool("centered", false);
            bool online = root.Bool("online", false);
            int batch = online ? root.Integer("batch", min: 1, max: 1 << 24) : root.Integer("batch", 0, 0, 1 << 24);
            if (online && data is not GaussianData)
            {
                throw new ExperimentException("online", "online SGD draws fresh samples every step, which needs \"data\": { \"kind\": \"gaussian\", ... }.");
            }

            EnsembleSpec? ensemble = root.OptionalObject("ensemble") is { } e ? ReadEnsemble(e) : null;
            TheorySpec? theory = root.OptionalObject("theory") is { } t ? ReadTheory(t, steps) : null;
            root.RejectUnknown();
            if (ensemble is null && theory is null)
            {
                throw new ExperimentException("(file)", "nothing to run: add an \"ensemble\" section, a \"theory\" section, or both.");
            }

            return new Experiment(model, data, gamma0, eta, steps, centered, online, batch, ensemble, theory);
        }
    }

    private static ModelReference ReadModel(JsonFields root, string? baseDirectory)
    {
        string? name = root.String("model");
        string? file = root.String("modelFile");
        if ((name is null) == (file is null))
        {
            throw new ExperimentException(
                name is null ? "model" : "modelFile",
                name is null ? "missing; give \"model\": a catalogue name (see 'ftc models') or \"modelFile\": a .cs file." : "give either \"model\" or \"modelFile\", not both.");
        }

        return new ModelReference(name, file is null ? null : Resolve(file, baseDirectory));
    }

    /// <summary>The data object; <paramref name="manyClasses"/> lets image data list 2 to 10 classes (CNNs with one-hot targets).</summary>
    internal static DataSpec ReadData(JsonFields data, string? baseDirectory, bool manyClasses = false)
    {
        string kind = data.Choice("kind", null, "scalar", "inline", "gaussian", "fashion-mnist", "cifar10");
        DataSpec spec = kind switch
        {
            "scalar" => new ScalarData(data.Number("x"), data.Number("y")),
            "inline" => ReadInline(data),
            "gaussian" => new GaussianData(
                data.Integer("dim", min: 1, max: 1 << 20),
                data.Integer("train", min: 1, max: 1 << 24),
                data.Integer("test", 0, 0, 1 << 24),
                data.Choice("teacher", "linear", "linear", "tanh") == "linear" ? TeacherKind.Linear : TeacherKind.Tanh,
                data.Number("noise", 0.0, min: 0.0),
                data.Seed("seed", 1)),
            _ => ReadImages(data, kind, baseDirectory, manyClasses),
        };
        data.RejectUnknown();
        return spec;
    }

    private static InlineData ReadInline(JsonFields data)
    {
        (int rows, int columns, double[] x) = data.Matrix("x") ?? throw new ExperimentException(data.PathOf("x"), "missing; expected the training inputs as rows [[x1, ..., xD], ...].");
        if (rows == 0)
        {
            throw new ExperimentException(data.PathOf("x"), "is empty; at least one training point is needed.");
        }

        double[] y = data.Numbers("y") ?? throw new ExperimentException(data.PathOf("y"), "missing; expected one target per row of x.");
        if (y.Length != rows)
        {
            throw new ExperimentException(data.PathOf("y"), $"has {y.Length} targets but x has {rows} rows.");
        }

        (int Rows, int Columns, double[] Values)? test = data.Matrix("testX");
        double[]? testY = data.Numbers("testY");
        if (test is { } t && t.Rows > 0 && t.Columns != columns)
        {
            throw new ExperimentException(data.PathOf("testX"), $"has rows of {t.Columns} numbers but x has {columns}.");
        }

        if (testY is not null && (test is null || testY.Length != test.Value.Rows))
        {
            throw new ExperimentException(data.PathOf("testY"), $"has {testY.Length} targets but testX has {test?.Rows ?? 0} rows.");
        }

        return new InlineData(columns, x, y, test?.Values, testY);
    }

    private static ImageData ReadImages(JsonFields data, string kind, string? baseDirectory, bool manyClasses)
    {
        bool fashion = kind == "fashion-mnist";
        string? path = data.String("path");
        if (path is null && !fashion)
        {
            throw new ExperimentException(data.PathOf("path"), "missing; expected the folder holding the CIFAR-10 binary batches (data_batch_1.bin ... test_batch.bin).");
        }

        double[] classes = data.Numbers("classes") ?? [0, 1];
        bool labels = classes.All(c => c == Math.Floor(c) && c >= 0 && c <= 9) && classes.Distinct().Count() == classes.Length;
        if (manyClasses && (classes.Length < 2 || !labels))
        {
            throw new ExperimentException(data.PathOf("classes"), "expected 2 to 10 different class labels from 0 to 9, e.g. [0, 1, 2].");
        }

        if (!manyClasses && (classes.Length != 2 || !labels))
        {
            throw new ExperimentException(data.PathOf("classes"), "expected two different class labels from 0 to 9, e.g. [0, 1]: networks here have one output, trained on +1 / -1 targets.");
        }

        return new ImageData(
            fashion ? ImageDataKind.FashionMnist : ImageDataKind.Cifar10,
            path is null ? "/usr/share/datasets/fashion-mnist" : Resolve(path, baseDirectory),
            data.Integer("train", min: 1, max: 60000),
            data.Integer("test", 0, 0, 10000),
            [.. classes.Select(c => (int)c)],
            data.Seed("seed", 1));
    }

    private static EnsembleSpec ReadEnsemble(JsonFields e)
    {
        var spec = new EnsembleSpec(
            e.Integer("width", min: 1, max: 1 << 20),
            e.Integer("members", min: 2, max: 1 << 24),
            e.Seed("seed", 1),
            e.Choice("device", "cpu", "cpu", "cuda", "auto"));
        e.RejectUnknown();
        return spec;
    }

    private static TheorySpec ReadTheory(JsonFields t, int steps)
    {
        var spec = new TheorySpec(
            t.Integer("sites", 25600, 1, 1 << 28),
            t.Choice("integration", "auto", "auto", "quadrature", "qmc", "mc") switch
            {
                "quadrature" => IntegrationMethod.Quadrature,
                "qmc" => IntegrationMethod.Qmc,
                "mc" => IntegrationMethod.Mc,
                _ => IntegrationMethod.Auto,
            },
            t.Seed("seed", 1),
            t.Bool("kernels", false),
            t.Bool("fluctuations", false),
            t.Bool("bias", false),
            t.Integer("kernelFluctuationsEvery", 1, 1, 1000000),
            t.Choice("fluctuationMethod", "dense", "dense", "adjoint") == "adjoint" ? FluctuationMethod.Adjoint : FluctuationMethod.Dense,
            AdjointSteps(t, steps),
            t.Choice("device", "cpu", "cpu", "cuda", "auto"),
            t.Number("prunedMass", GridPruning.DefaultMass, 0.0, GridPruning.MaxMass));
        if (spec.AdjointSteps is not null && spec.FluctuationMethod != FluctuationMethod.Adjoint)
        {
            throw new ExperimentException(t.PathOf("adjointSteps"), "is only used with \"fluctuationMethod\": \"adjoint\"; remove it or choose the adjoint method.");
        }

        if (t.Has("prunedMass") && spec.Integration != IntegrationMethod.Quadrature)
        {
            throw new ExperimentException(t.PathOf("prunedMass"), "is only used with \"integration\": \"quadrature\" (product grids have weights to prune); remove it or choose quadrature.");
        }

        t.RejectUnknown();
        return spec;
    }

    // The steps of the adjoint path's N Var: integers in [0, steps], at least one.
    private static int[]? AdjointSteps(JsonFields t, int steps)
    {
        double[]? values = t.Numbers("adjointSteps");
        if (values is null)
        {
            return null;
        }

        if (values.Length == 0)
        {
            throw new ExperimentException(t.PathOf("adjointSteps"), "is empty; expected at least one step from 0 to " + steps.ToString(CultureInfo.InvariantCulture) + ".");
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (Math.Floor(values[i]) != values[i] || values[i] < 0 || values[i] > steps)
            {
                throw new ExperimentException($"{t.PathOf("adjointSteps")}[{i}]", $"{values[i].ToString(CultureInfo.InvariantCulture)} is not allowed; expected an integer step from 0 to {steps.ToString(CultureInfo.InvariantCulture)}.");
            }
        }

        return [.. values.Select(v => (int)v)];
    }

    private static string Resolve(string path, string? baseDirectory) =>
        baseDirectory is null || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));
}
