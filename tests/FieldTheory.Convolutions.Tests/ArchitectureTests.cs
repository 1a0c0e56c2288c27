using FieldTheory.Data;
using FieldTheory.Experiments;
using FieldTheory.Models;

namespace FieldTheory.Convolutions.Tests;

/// <summary>Architectures from declarations and at run time, batch orders and CNN experiment files.</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void Catalogue_networks_carry_their_declared_layers_and_shapes()
    {
        CnnArchitecture fashion = FashionCnn.Architecture;
        Assert.Equal(new MapShape(1, 28), fashion.Input);
        Assert.Equal([new MapShape(1, 28), new MapShape(16, 14), new MapShape(16, 7)], fashion.Shapes());
        Assert.IsType<GlobalAveragePoolLayer>(fashion.Layers[^1]);
        Assert.Equal([new MapShape(3, 32), new MapShape(32, 32), new MapShape(32, 16), new MapShape(32, 8)], CifarCnn.Architecture.Shapes());
        Assert.Equal(3, CifarCnn.Convolutional.Activation.HiddenLayers);
        Assert.Equal(0.0, FashionCnn.Convolutional.Activation.Phi(-1.5));
        Assert.Same(FashionCnn.Convolutional, BuiltInConvolutionalModels.Get("fashioncnn"));
        Assert.Throws<KeyNotFoundException>(() => BuiltInConvolutionalModels.Get("NoSuchCnn"));
    }

    [Fact]
    public void Width_rescales_every_convolution_keeping_declared_ratios()
    {
        var declared = new CnnArchitecture("Mixed", new MapShape(1, 8), [new ConvolutionLayer(8, 3, 1, 1), new ConvolutionLayer(16, 3, 2, 1), new GlobalAveragePoolLayer()]);

        CnnArchitecture wide = declared.WithWidth(64);

        Assert.Equal([32, 64], wide.Convolutions.Select(c => c.Channels));
        Assert.Equal(64, wide.Width);
        Assert.Equal([1, 1], declared.WithWidth(1).Convolutions.Select(c => c.Channels));
    }

    [Fact]
    public void Runtime_validation_refuses_impossible_shapes()
    {
        var tooLarge = new CnnArchitecture("Big", new MapShape(1, 4), [new ConvolutionLayer(2, 3, 2, 0), new ConvolutionLayer(2, 3, 1, 0), new GlobalAveragePoolLayer()]);
        var noPool = new CnnArchitecture("NoPool", new MapShape(1, 4), [new ConvolutionLayer(2, 3, 1, 1)]);

        Assert.Contains("padded input is only 1", Assert.Throws<ArgumentException>(() => tooLarge.Validate()).Message);
        Assert.Throws<ArgumentException>(() => noPool.Validate());
    }

    [Fact]
    public void Minibatches_cover_every_image_once_per_epoch()
    {
        var settings = new CnnTrainingSettings(Width: 2, Members: 2, Gamma0: 1, Eta: 0.1, Steps: 9, Batch: 4);

        int[][] batches = CnnEnsemble.BatchOrder(settings, 12);

        for (int epoch = 0; epoch < 3; epoch++)
        {
            Assert.Equal(Enumerable.Range(0, 12), batches.Skip(epoch * 3).Take(3).SelectMany(b => b).Order());
        }

        Assert.NotEqual(batches[0], batches[3]);
    }

    [Fact]
    public void Experiment_files_parse_and_name_the_bad_field()
    {
        const string good = """{ "model": "FashionCnn", "data": { "kind": "fashion-mnist", "train": 16, "test": 8, "classes": [0, 1] }, "gamma0": 1, "eta": 0.03, "steps": 4, "widths": [2, 4], "members": 3, "batch": 8 }""";

        CnnExperiment experiment = CnnExperiment.Parse(good);

        Assert.Equal("FashionCnn", experiment.Model);
        Assert.Equal(ImageDataKind.FashionMnist, experiment.Data.Kind);
        Assert.Equal([2, 4], experiment.Settings.Widths);
        Assert.Equal(8, experiment.Settings.Batch);
        Assert.Equal("widths", Assert.Throws<ExperimentException>(() => CnnExperiment.Parse(good.Replace("[2, 4]", "[4]"))).Field);
        Assert.Equal("batch", Assert.Throws<ExperimentException>(() => CnnExperiment.Parse(good.Replace("\"batch\": 8", "\"batch\": 17"))).Field);
        Assert.Equal("data", Assert.Throws<ExperimentException>(() => CnnExperiment.Parse(good.Replace("\"kind\": \"fashion-mnist\", \"train\": 16, \"test\": 8, \"classes\": [0, 1]", "\"kind\": \"scalar\", \"x\": 1, \"y\": 1"))).Field);
        Assert.Equal(CnnTargets.PlusMinusOne, experiment.Settings.Targets);
        Assert.Equal(0, experiment.Settings.NtkProbe);
    }

    [Fact]
    public void One_hot_targets_take_several_classes_and_plus_minus_one_targets_exactly_two()
    {
        const string three = """{ "model": "FashionCnn", "data": { "kind": "fashion-mnist", "train": 16, "test": 8, "classes": [0, 1, 2] }, "gamma0": 1, "eta": 0.03, "steps": 4, "widths": [2, 4], "members": 3, "targets": "one-hot", "ntkProbe": 4 }""";

        CnnExperiment experiment = CnnExperiment.Parse(three);
        ExperimentException plusMinus = Assert.Throws<ExperimentException>(() => CnnExperiment.Parse(three.Replace(", \"targets\": \"one-hot\"", string.Empty)));

        Assert.Equal(CnnTargets.OneHot, experiment.Settings.Targets);
        Assert.Equal([0, 1, 2], experiment.Data.Classes);
        Assert.Equal(4, experiment.Settings.NtkProbe);
        Assert.Equal("data.classes", plusMinus.Field);
        Assert.Contains("one-hot", plusMinus.Message);
        Assert.Equal("targets", Assert.Throws<ExperimentException>(() => CnnExperiment.Parse(three.Replace("one-hot", "softmax"))).Field);
        Assert.Equal("ntkProbe", Assert.Throws<ExperimentException>(() => CnnExperiment.Parse(three.Replace("\"ntkProbe\": 4", "\"ntkProbe\": 9"))).Field);
        Assert.Equal("data.classes", Assert.Throws<ExperimentException>(() => CnnExperiment.Parse(three.Replace("[0, 1, 2]", "[0, 1, 1]"))).Field);
    }

    [Fact]
    public void Fashion_mnist_subsets_of_three_classes_carry_their_labels()
    {
        CnnImages images = CnnData.Load(CnnData.FashionMnist(train: 30, test: 6, seed: 3) with { Classes = [0, 1, 2] });

        Assert.Equal(3, images.ClassCount);
        Assert.Equal([0, 1, 2], images.TrainLabels!.Distinct().Order());
        Assert.Equal(images.TrainLabels!.Select(l => l == 0 ? 1.0 : -1.0), images.Data.Y);
        Assert.Contains("+-1 targets need exactly two classes", Assert.Throws<ArgumentException>(() => images.Targets(CnnTargets.PlusMinusOne)).Message);
    }

    [Fact]
    public void Fashion_mnist_subsets_are_standardised_per_channel()
    {
        CnnImages images = CnnData.Load(CnnData.FashionMnist(train: 20, test: 5, seed: 3));

        Assert.Equal(new MapShape(1, 28), images.Shape);
        Assert.Equal(0.0, images.Data.X.Average(), 1e-12);
        Assert.Equal(1.0, Math.Sqrt(images.Data.X.Select(v => v * v).Average()), 1e-12);
        Assert.All(images.Data.Y, y => Assert.True(y is 1.0 or -1.0));
    }
}
