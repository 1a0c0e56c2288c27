using FieldTheory.Compute;
using FieldTheory.Data;
using FieldTheory.Results;

namespace FieldTheory.Ensembles;

/// <summary>
/// One ensemble run: the training loop around an <see cref="IEnsembleEngine"/> (chosen by <see cref="EnsembleBackends"/>).
/// The engine records f and the layer kernels at steps n .. n + k - 1 per call (k = 1 on ILGPU and for online SGD),
/// taking the gradient steps with Delta = y - f (f - f(theta_0) when centered) in between; for each recorded step the
/// run forms per member Delta, the loss, the exact NTK K = sum_l G^(l+1) o Phi^l (Phi^0 = K^x, G^(L+1) = 1; DESIGN.md
/// section 2) and the test outputs, and summarises them across members.
/// </summary>
internal sealed class EnsembleRun<TActivation>
    where TActivation : struct, IActivation
{
    private readonly NetworkModel _model;
    private readonly EnsembleSettings _settings;
    private readonly ComputeDevice _device;
    private readonly EnsembleOptions _options;
    private readonly EnsembleShape _shape;
    private readonly Observables _observables;
    private readonly OnlineBatches? _online;

    public EnsembleRun(NetworkModel model, EnsembleSettings settings, ComputeDevice device, EnsembleOptions options)
    {
        _model = model;
        _settings = settings;
        _device = device;
        _options = options;
        Dataset data = settings.Data;
        _online = settings.Online is { } o ? new OnlineBatches(o) : null;
        int train = _online?.Batch ?? data.Count;
        _shape = new EnsembleShape(settings.Members, settings.Width, data.Dimension, model.HiddenLayers, train, train + data.TestCount);
        _observables = new Observables(train, data.TestCount, data.TestY is not null && data.TestCount > 0, model.HiddenLayers);
    }

    public EnsembleResult Run(IProgress<double>? progress, CancellationToken cancellationToken)
    {
        EnsembleBackend backend = EnsembleBackends.Choose(_device, _options);
        EnsembleMemory.Check(_shape, _observables, _settings.Steps, _device, backend, _options.CpuThreads);
        try
        {
            return Train(progress, cancellationToken);
        }
        finally
        {
            (long engineBytes, long hostBytes) = EnsembleMemory.Bytes(_shape, _observables, _settings.Steps, backend, _options.CpuThreads);
            EnsembleMemory.ReleaseIfLarge(backend == EnsembleBackend.Cpu ? engineBytes + hostBytes : hostBytes);
        }
    }

    private EnsembleResult Train(IProgress<double>? progress, CancellationToken cancellationToken)
    {
        (int e, _, int d, int layers, int p, int pa) = _shape;
        Dataset data = _settings.Data;
        double[] x = new double[pa * d];
        double[] y = data.Y;
        data.TestX.CopyTo(x.AsSpan(p * d));
        double[] inputGram = _online is null ? TrainGram(data.X, p, d) : [];
        if (_online is null)
        {
            data.X.CopyTo(x, 0);
        }

        using IEnsembleEngine engine = EnsembleBackends.Create<TActivation>(_model, _shape, _settings, _device, _options);
        engine.Initialize(_settings.Seed);
        engine.SetInputs(x);

        var recorder = new EnsembleRecorder(_observables, e, _settings.Width);
        StepRecord[] records = [.. Enumerable.Range(0, _online is null ? engine.MaxStepsPerCall : 1).Select(_ => new StepRecord(_shape))];
        var values = new double[(long)e * _observables.Count];
        double[]? initial = null;
        int? diverged = null;
        double updateScale = _online is null ? 1.0 : 1.0 / p;
        for (int n = 0; n <= _settings.Steps && diverged is null;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (n > 0)
            {
                engine.Update();
            }

            if (_online is not null)
            {
                (double[] batchX, double[] batchY) = _online.Draw(n);
                batchX.CopyTo(x, 0);
                y = batchY;
                inputGram = TrainGram(batchX, p, d);
                engine.SetInputs(x);
            }

            int count = Math.Min(records.Length, _settings.Steps + 1 - n);
            engine.Evaluate(records.AsSpan(0, count), new TrainingErrors(y, updateScale, _settings.Centered));
            for (int s = 0; s < count; s++, n++)
            {
                StepRecord record = records[s];
                if (_settings.Centered && initial is null)
                {
                    initial = (double[])record.Outputs.Clone();
                }

                if (!Observe(record, initial, y, inputGram, values) || !recorder.Add(values))
                {
                    diverged = n;
                    break;
                }

                _options.Observer?.Invoke(n, values, _observables);
                progress?.Report((n + 1.0) / (_settings.Steps + 1.0));
            }
        }

        (Series mean, Series meanStdErr, Series nvar, Series nvarStdErr) = recorder.ToSeries();
        return new EnsembleResult(_settings.Width, e, _settings.Seed, engine.Description, mean, meanStdErr, nvar, nvarStdErr, diverged);
    }

    /// <summary>
    /// Fills each member's row of observables from one recorded step; false when a loss is not finite.
    /// </summary>
    private bool Observe(StepRecord record, double[]? initial, double[] y, double[] inputGram, double[] values)
    {
        (double[] outputs, double[][] feature, double[][] gradient) = (record.Outputs, record.Feature, record.Gradient);
        (int e, _, _, int layers, int p, int pa) = _shape;
        Observables o = _observables;
        double[]? testY = _settings.Data.TestY;
        double updateScale = _online is null ? 1.0 : 1.0 / p;
        int pt = _shape.TestRows;
        var finite = new bool[e];
        Parallel.For(0, e, m =>
        {
            Span<double> row = values.AsSpan((int)((long)m * o.Count), o.Count);
            double loss = 0.0;
            for (int mu = 0; mu < pa; mu++)
            {
                int at = (m * pa) + mu;
                double f = outputs[at] - (initial?[at] ?? 0.0);
                if (mu < p)
                {
                    double error = y[mu] - f;
                    row[o.F + mu] = f;
                    row[o.Delta + mu] = error;
                    loss += error * error;
                }
                else
                {
                    row[o.TestF + mu - p] = f;
                }
            }

            row[o.Loss] = 0.5 * loss * updateScale;
            if (o.HasTestLoss)
            {
                double testLoss = 0.0;
                for (int j = 0; j < pt; j++)
                {
                    double error = testY![j] - row[o.TestF + j];
                    testLoss += error * error;
                }

                row[o.TestLoss] = 0.5 * testLoss / pt;
            }

            int pp = p * p;
            for (int l = 0; l < layers; l++)
            {
                feature[l].AsSpan(m * pp, pp).CopyTo(row.Slice(o.Feature + (l * pp), pp));
                gradient[l].AsSpan(m * pp, pp).CopyTo(row.Slice(o.Gradient + (l * pp), pp));
            }

            // K = K^x o G^1 + sum_{l=1}^{L-1} Phi^l o G^(l+1) + Phi^L.
            for (int k = 0; k < pp; k++)
            {
                double ntk = (inputGram[k] * gradient[0][(m * pp) + k]) + feature[layers - 1][(m * pp) + k];
                for (int l = 1; l < layers; l++)
                {
                    ntk += feature[l - 1][(m * pp) + k] * gradient[l][(m * pp) + k];
                }

                row[o.Ntk + k] = ntk;
            }

            finite[m] = double.IsFinite(row[o.Loss]) && (!o.HasTestLoss || double.IsFinite(row[o.TestLoss]));
        });
        return Array.TrueForAll(finite, f => f);
    }

    private static double[] TrainGram(double[] x, int p, int d)
    {
        var gram = new double[p * p];
        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b < p; b++)
            {
                double dot = 0.0;
                for (int i = 0; i < d; i++)
                {
                    dot += x[(a * d) + i] * x[(b * d) + i];
                }

                gram[(a * p) + b] = dot / d;
            }
        }

        return gram;
    }
}
