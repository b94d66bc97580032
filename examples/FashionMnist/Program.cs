using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using ScottPlot;
using Spectre.Console;

namespace FashionMnist;

/// <summary>
/// Fashion-MNIST with an MLP 784-128-10 trained on the gradient SymGrad generates (<c>FashionNet.LossGradient</c>),
/// mini-batch Adam, each batch's gradient computed over the cores. Arguments: the data folder (by default
/// <see cref="FashionData.DefaultFolder"/>, where Debian's dataset-fashion-mnist puts it), the pictures' folder (by
/// default out/), the number of epochs (by default <see cref="DefaultEpochs"/>). Exit code 2 when the data is missing.
/// </summary>
public static class Program
{
    public const int DefaultEpochs = 10;
    public const ulong InitSeed = 7;

    public static int Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        string folder = args.Length > 0 ? args[0] : FashionData.DefaultFolder;
        string outputDir = args.Length > 1 ? args[1] : "out";
        int epochs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : DefaultEpochs;
        if (!FashionData.IsPresent(folder))
        {
            Console.Error.WriteLine(FashionData.HowToGet(folder));
            return 2;
        }

        Console.WriteLine("SymGrad: Fashion-MNIST, an MLP 784-128-10 trained on its generated gradient");
        long loadStart = Stopwatch.GetTimestamp();
        FashionSplit train = FashionData.LoadTrain(folder), test = FashionData.LoadTest(folder);
        Console.WriteLine($"  data: {folder}: {train.Count} training and {test.Count} test images of {train.Raw.Rows} x {train.Raw.Columns} " +
                          $"(read and scaled in {Stopwatch.GetElapsedTime(loadStart).TotalSeconds:0.0} s)");
        var options = new TrainingOptions();
        FashionModel model = FashionModel.He(InitSeed);
        Console.WriteLine($"  model: {model.ParameterCount} parameters, He initialisation (SplitMix64 seed {InitSeed}); " +
                          $"Adam lr {options.LearningRate}, batch {options.BatchSize}, {epochs} epochs, shuffle seed {options.Seed}");
        bool optimised = !(typeof(Program).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled ?? false);
        Console.WriteLine($"  build: {(optimised ? "Release (optimised)" : "Debug (JIT optimisations off: add -c Release, about 10x faster)")}; " +
                          $"{options.Threads} threads (one chunk of each batch per thread), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine();

        if (options.Threads > 1)
        {
            (double one, double all) = Throughput(model, train, options, batches: 150);
            Console.WriteLine($"gradient alone, 150 batches of {options.BatchSize}: {one:0} images/s on 1 thread, {all:0} images/s on " +
                              $"{options.Threads} threads ({all / one:0.00}x)");
        }

        var trainer = new Trainer(model, train, options);
        var records = new List<EpochRecord>();
        double initialTest = Metrics.Accuracy(model, test), initialTrain = Metrics.Accuracy(model, train);
        records.Add(new EpochRecord(0, double.NaN, initialTrain, initialTest, 0, 0));
        Console.WriteLine($"epoch 0: train accuracy {100 * initialTrain:0.00}%, test accuracy {100 * initialTest:0.00}% (initial weights)");
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            (double meanLoss, double seconds) = RunEpochWithProgress(trainer, epoch, epochs, train.Count);
            double trainAccuracy = Metrics.Accuracy(model, train), testAccuracy = Metrics.Accuracy(model, test);
            var record = new EpochRecord(epoch, meanLoss, trainAccuracy, testAccuracy, seconds, train.Count / seconds);
            records.Add(record);
            Console.WriteLine($"epoch {epoch}: loss {meanLoss:0.0000}, train accuracy {100 * trainAccuracy:0.00}%, " +
                              $"test accuracy {100 * testAccuracy:0.00}%  [{seconds:0.0} s, {record.SamplesPerSecond:0} images/s]");
        }
        Console.WriteLine();
        EpochRecord last = records[^1];
        var trained = records.Skip(1).ToList();
        Console.WriteLine($"after {epochs} epochs: test accuracy {100 * last.TestAccuracy:0.00}%; per epoch (training only) " +
                          $"{trained.Average(r => r.Seconds):0.0} s on average, {trained.Average(r => r.SamplesPerSecond):0} images/s on {options.Threads} threads");

        Directory.CreateDirectory(outputDir);
        Console.WriteLine();
        Console.WriteLine($"Pictures (written under {outputDir}/):");
        int[] predictions = model.PredictAll(test.Images);
        var pictures = new (Plot Plot, string Name, int Width, int Height)[]
        {
            (Plots.Curves(trainer.BatchLosses, trainer.BatchesPerEpoch, records, 100,
                $"Fashion-MNIST, MLP 784-128-10, Adam: test accuracy {100 * last.TestAccuracy:0.0}% after {epochs} epochs"), "fashion-training", 900, 500),
            (Plots.Grid(test, predictions, 5, 8, "The first 40 test images: predicted class (true class); wrong in red"), "fashion-predictions", 1100, 1000),
            (Plots.Confusion(Metrics.Confusion(predictions, test.Labels, FashionModel.Classes),
                $"Confusion matrix on the {test.Count} test images ({100 * last.TestAccuracy:0.00}% right)"), "fashion-confusion", 900, 800),
        };
        foreach ((Plot plot, string name, int width, int height) in pictures)
        {
            foreach (string path in PlotFiles.SavePngAndSvg(plot, outputDir, name, width, height)) Console.WriteLine($"  wrote {Path.GetFullPath(path)}");
        }
        return 0;
    }

    /// <summary>
    /// Images per second of the mini-batch gradient alone (no update) over the first <paramref name="batches"/> batches
    /// of the training images in file order, in one chunk on this thread and in one chunk per thread; each after a
    /// warm-up batch (the JIT, the threads' tapes).
    /// </summary>
    public static (double OneThread, double AllThreads) Throughput(FashionModel model, FashionSplit train, TrainingOptions options, int batches)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        int[] order = Enumerable.Range(0, train.Count).ToArray();
        var gradient = new FashionModel(model.InputCount, model.HiddenCount, model.ClassCount);
        double Rate(int chunks)
        {
            var engine = new ParallelGradient(model, chunks);
            engine.Compute(model, train.Images, train.Labels, order, 0, options.BatchSize, gradient);
            long start = Stopwatch.GetTimestamp();
            for (int b = 0; b < batches; b++) engine.Compute(model, train.Images, train.Labels, order, b * options.BatchSize, options.BatchSize, gradient);
            return batches * options.BatchSize / Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        return (Rate(1), Rate(options.Threads));
    }

    /// <summary>One epoch under a Spectre.Console progress bar: images done, images per second, running loss.</summary>
    private static (double, double) RunEpochWithProgress(Trainer trainer, int epoch, int epochs, int images)
    {
        (double, double) result = default;
        AnsiConsole.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask task = ctx.AddTask($"epoch {epoch}/{epochs}", maxValue: images);
                result = trainer.RunEpoch((done, loss, rate) =>
                {
                    task.Value = done;
                    task.Description = $"epoch {epoch}/{epochs}  loss {loss:0.0000}  {rate,6:0} images/s";
                });
            });
        return result;
    }
}
