using System.Diagnostics;

namespace FashionMnist;

/// <summary>One epoch: the mean of its mini-batch losses, the accuracies after it, its training time and speed.</summary>
public readonly record struct EpochRecord(int Epoch, double MeanLoss, double TrainAccuracy, double TestAccuracy,
                                          double Seconds, double SamplesPerSecond);

/// <summary>The training's settings; the defaults are the example's.</summary>
public sealed record TrainingOptions
{
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 1e-3;
    public ulong Seed { get; init; } = 2026;

    /// <summary>The chunks each mini-batch is cut into, one per thread: by default one per core.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}

/// <summary>
/// Mini-batch Adam on <see cref="FashionNet.Loss"/>: each epoch visits the training images once in a new seeded order
/// (Fisher-Yates on SplitMix64), <see cref="TrainingOptions.BatchSize"/> at a time (the last batch smaller), the
/// gradient computed by <see cref="ParallelGradient"/> over the cores.
/// </summary>
public sealed class Trainer
{
    private readonly FashionSplit _train;
    private readonly int[] _order;
    private readonly SplitMix64 _rng;
    private readonly ParallelGradient _parallel;
    private readonly FashionModel _gradient;
    private readonly Adam _adam;

    public Trainer(FashionModel model, FashionSplit train, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        Model = model;
        _train = train;
        Options = options;
        _order = Enumerable.Range(0, train.Count).ToArray();
        _rng = new SplitMix64(options.Seed);
        _parallel = new ParallelGradient(model, options.Threads);
        _gradient = new FashionModel(model.InputCount, model.HiddenCount, model.ClassCount);
        _adam = new Adam(model, options.LearningRate);
    }

    public FashionModel Model { get; }
    public TrainingOptions Options { get; }

    /// <summary>Every mini-batch's loss so far, in order (the loss at the batch's parameters, before its update).</summary>
    public List<double> BatchLosses { get; } = [];

    public int BatchesPerEpoch => (_train.Count + Options.BatchSize - 1) / Options.BatchSize;

    /// <summary>
    /// One epoch; <paramref name="onBatch"/> (if any) hears after each batch the images done, the running mean loss
    /// and the images per second so far. Returns the epoch's mean batch loss and its wall time in seconds.
    /// </summary>
    public (double MeanLoss, double Seconds) RunEpoch(Action<int, double, double>? onBatch = null)
    {
        Shuffle(_order, _rng);
        long start = Stopwatch.GetTimestamp();
        double sum = 0;
        int batches = 0;
        for (int offset = 0; offset < _order.Length; offset += Options.BatchSize)
        {
            int count = Math.Min(Options.BatchSize, _order.Length - offset);
            double loss = _parallel.Compute(Model, _train.Images, _train.Labels, _order, offset, count, _gradient);
            _adam.Step(Model, _gradient);
            BatchLosses.Add(loss);
            sum += loss;
            batches++;
            onBatch?.Invoke(offset + count, sum / batches, (offset + count) / Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return (sum / batches, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>Shuffles <paramref name="order"/> with a fresh generator of that seed (what an epoch does with the trainer's own).</summary>
    public static void Shuffle(int[] order, ulong seed) => Shuffle(order, new SplitMix64(seed));

    internal static void Shuffle(int[] order, SplitMix64 rng)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(rng);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}

/// <summary>Accuracy and the confusion matrix of predictions against labels.</summary>
public static class Metrics
{
    public static double Accuracy(int[] predictions, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(labels);
        int right = 0;
        for (int s = 0; s < predictions.Length; s++)
        {
            if (predictions[s] == labels[s]) right++;
        }
        return (double)right / predictions.Length;
    }

    public static double Accuracy(FashionModel model, FashionSplit split, int count = -1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(split);
        return Accuracy(model.PredictAll(split.Images, count), split.Labels);
    }

    /// <summary>counts[true class, predicted class].</summary>
    public static int[,] Confusion(int[] predictions, int[] labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(labels);
        var counts = new int[classes, classes];
        for (int s = 0; s < predictions.Length; s++) counts[labels[s], predictions[s]]++;
        return counts;
    }
}
