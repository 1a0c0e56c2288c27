using System.Diagnostics;
using FieldTheory.Compute;
using FieldTheory.Ensembles;
using FieldTheory.Randomness;

namespace FieldTheory.Convolutions;

/// <summary>
/// Trains ensembles of mean-field convolutional networks on the CPU (docs/cnn.md): each member's whole trajectory runs
/// on one worker, members in parallel (<see cref="Parallel.For(int, int, Action{int})"/>), convolutions as im2col plus
/// one OpenBLAS <c>dgemm</c> per layer and batch (plain loops when OpenBLAS is absent). Every member's numbers depend
/// only on (seed, member), never on the thread count. Peak memory: one <see cref="CnnWorkspace"/> per worker
/// (8 bytes x <see cref="CnnWorkspace.Doubles"/> with B = max(P, P_test, batch)) plus the recorded outputs and probe
/// NTKs, 8 E R (C (P + P_test) + (Q C)^2) bytes; problems above <see cref="MaxBytes"/> are refused.
/// </summary>
internal static class CnnEnsemble
{
    /// <summary>Largest peak memory accepted, in bytes (8 GiB).</summary>
    public const long MaxBytes = 8L << 30;

    /// <summary>Purpose tag of the shared minibatch order stream.</summary>
    internal const int BatchPurpose = 18;

    /// <summary>Trains <paramref name="settings"/>.Members networks of <paramref name="model"/> at the settings' width.</summary>
    public static CnnEnsembleResult Train(ConvolutionalModel model, CnnImages images, CnnTrainingSettings settings, CancellationToken cancellationToken = default) =>
        Train(model, images, settings, OpenBlas.IsAvailable, Environment.ProcessorCount, cancellationToken);

    /// <summary>
    /// Trains on an ILGPU accelerator (<c>ComputeDevice.Create("cuda")</c>, or the CPU accelerator): all members advance
    /// together, one kernel launch per operation (see the device engine's memory formula in docs/cnn.md), with the same
    /// targets and probe NTK. Results equal those of
    /// <see cref="Train(ConvolutionalModel, CnnImages, CnnTrainingSettings, CancellationToken)"/> up to rounding (the
    /// products sum in a different order).
    /// </summary>
    public static CnnEnsembleResult Train(ConvolutionalModel model, CnnImages images, CnnTrainingSettings settings, ComputeDevice device, CancellationToken cancellationToken = default) =>
        TrainOnDevice(model, images, settings, device, OpenBlas.IsAvailable, ilgpuOnly: false, cancellationToken);

    internal static CnnEnsembleResult TrainOnDevice(ConvolutionalModel model, CnnImages images, CnnTrainingSettings settings, ComputeDevice device, bool useBlas, bool ilgpuOnly, CancellationToken cancellationToken)
    {
        CnnArchitecture architecture = model.Architecture.WithWidth(settings.Width).Validate();
        images.Validate(architecture);
        settings.Validate(images.Data.Count, images.Data.TestCount);
        return model.Activation.Accept(new DeviceVisitor(device, architecture, images, settings, useBlas, ilgpuOnly, cancellationToken));
    }

    private sealed class DeviceVisitor(ComputeDevice device, CnnArchitecture architecture, CnnImages images, CnnTrainingSettings settings, bool useBlas, bool ilgpuOnly, CancellationToken token)
        : INetworkModelVisitor<CnnEnsembleResult>
    {
        public CnnEnsembleResult Visit<TActivation>(NetworkModel<TActivation> model)
            where TActivation : struct, IActivation =>
            CnnDeviceEnsemble<TActivation>.Train(device, architecture, images, settings, useBlas, ilgpuOnly, token);
    }

    internal static CnnEnsembleResult Train(ConvolutionalModel model, CnnImages images, CnnTrainingSettings settings, bool useBlas, int threads, CancellationToken cancellationToken)
    {
        CnnArchitecture architecture = model.Architecture.WithWidth(settings.Width).Validate();
        images.Validate(architecture);
        settings.Validate(images.Data.Count, images.Data.TestCount);
        return model.Activation.Accept(new Visitor(architecture, images, settings, useBlas && OpenBlas.IsAvailable, threads, cancellationToken));
    }

    private sealed class Visitor(CnnArchitecture architecture, CnnImages images, CnnTrainingSettings settings, bool useBlas, int threads, CancellationToken token)
        : INetworkModelVisitor<CnnEnsembleResult>
    {
        public CnnEnsembleResult Visit<TActivation>(NetworkModel<TActivation> model)
            where TActivation : struct, IActivation =>
            Run<TActivation>(architecture, images, settings, useBlas, threads, token);
    }

    private static CnnEnsembleResult Run<TActivation>(CnnArchitecture architecture, CnnImages images, CnnTrainingSettings s, bool useBlas, int threads, CancellationToken token)
        where TActivation : struct, IActivation
    {
        var data = images.Data;
        int p = data.Count, pTest = data.TestCount;
        (double[] trainY, double[] testY, int outputs) = images.Targets(s.Targets);
        int batch = s.Batch ?? p;
        int capacity = Math.Max(Math.Max(p, pTest), batch);
        int[] recorded = s.RecordedSteps();
        int records = recorded.Length;
        int probe = s.NtkProbe, probeSize = probe * outputs * probe * outputs;
        int workers = Math.Max(1, Math.Min(threads, s.Members));
        long workspace = CnnWorkspace.Doubles(architecture, capacity, outputs, probe);
        long bytes = (8L * workers * workspace) + (8L * s.Members * records * (((long)outputs * (p + pTest)) + probeSize));
        if (bytes > MaxBytes)
        {
            throw new ArgumentException($"The ensemble needs about {bytes / (1 << 20)} MiB ({workers} workspaces of {workspace} doubles plus the recorded outputs and probe kernels); the limit is {MaxBytes / (1 << 20)} MiB. Use fewer images, a smaller width, a smaller probe or fewer recorded steps.");
        }

        int[][] batches = BatchOrder(s, p);
        var trainOutputs = new double[(long)s.Members * records * p * outputs];
        var testOutputs = new double[(long)s.Members * records * pTest * outputs];
        var ntk = new double[(long)s.Members * records * probeSize];
        MapShape[] shapes = architecture.Shapes();
        int[] all = Enumerable.Range(0, p).ToArray();
        int[] allTest = Enumerable.Range(0, pTest).ToArray();
        var clock = Stopwatch.StartNew();
        using IDisposable? blasThreads = useBlas ? OpenBlas.SingleThreaded() : null;

        var options = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = token };
        Parallel.For(0, s.Members, options, () => new CnnWorkspace(architecture, capacity, outputs, probe), (member, _, ws) =>
        {
            var parameters = new CnnParameters(architecture, outputs);
            parameters.Initialize(s.Seed, member);
            var delta = new double[batch * outputs];
            int record = 0;
            for (int n = 0; n <= s.Steps; n++)
            {
                token.ThrowIfCancellationRequested();
                if (record < records && recorded[record] == n)
                {
                    long at = ((long)member * records) + record;
                    Predict(architecture, shapes, parameters, ws, data.X, all, s.Gamma0, useBlas, trainOutputs.AsSpan((int)(at * p * outputs), p * outputs));
                    Predict(architecture, shapes, parameters, ws, data.TestX, allTest, s.Gamma0, useBlas, testOutputs.AsSpan((int)(at * pTest * outputs), pTest * outputs));
                    if (probe > 0)
                    {
                        CnnProbeNtk<TActivation>.Compute(architecture, shapes, parameters, ws, data.TestX, probe, s.Gamma0, useBlas, ntk, (int)(at * probeSize));
                    }

                    record++;
                }

                if (n == s.Steps)
                {
                    break;
                }

                int[] indices = batches[n];
                CnnPass<TActivation>.LoadBatch(data.X, images.Shape, indices, ws);
                CnnPass<TActivation>.Forward(architecture, shapes, parameters, ws, indices.Length, s.Gamma0, useBlas);
                double weight = (double)p / indices.Length;
                for (int b = 0; b < indices.Length; b++)
                {
                    for (int c = 0; c < outputs; c++)
                    {
                        delta[(b * outputs) + c] = weight * (trainY[(indices[b] * outputs) + c] - ws.Outputs[(b * outputs) + c]);
                    }
                }

                CnnPass<TActivation>.Backward(architecture, shapes, parameters, ws, indices.Length, delta.AsSpan(0, indices.Length * outputs), s.Gamma0, s.Eta, useBlas);
            }

            return ws;
        }, _ => { });

        return new CnnEnsembleResult(architecture, s, recorded, outputs, trainY, testY, trainOutputs, testOutputs, ntk, clock.Elapsed.TotalSeconds);

        static void Predict(CnnArchitecture architecture, MapShape[] shapes, CnnParameters parameters, CnnWorkspace ws, double[] x, int[] indices, double gamma0, bool useBlas, Span<double> output)
        {
            CnnPass<TActivation>.LoadBatch(x, shapes[0], indices, ws);
            CnnPass<TActivation>.Forward(architecture, shapes, parameters, ws, indices.Length, gamma0, useBlas);
            ws.Outputs.AsSpan(0, output.Length).CopyTo(output);
        }
    }

    /// <summary>
    /// The images of every step, shared by all members: all of them (full batch), or consecutive slices of a per-epoch
    /// random permutation (epoch e sorts the images by <c>Uniform(StreamId.Of(0, e, BatchPurpose), i)</c>).
    /// </summary>
    internal static int[][] BatchOrder(CnnTrainingSettings s, int p)
    {
        var batches = new int[s.Steps][];
        if (s.Batch is null || s.Batch == p)
        {
            int[] all = Enumerable.Range(0, p).ToArray();
            Array.Fill(batches, all);
            return batches;
        }

        int size = s.Batch.Value, perEpoch = p / size;
        var rng = new RandomStream(s.Seed);
        int[] order = [];
        for (int n = 0; n < s.Steps; n++)
        {
            int slot = n % perEpoch;
            if (slot == 0)
            {
                ulong stream = StreamId.Of(0, n / perEpoch, BatchPurpose);
                order = Enumerable.Range(0, p).OrderBy(i => rng.Uniform(stream, (ulong)i)).ThenBy(i => i).ToArray();
            }

            batches[n] = order[(slot * size)..((slot + 1) * size)];
        }

        return batches;
    }
}
