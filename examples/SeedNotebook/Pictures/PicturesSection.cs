namespace SeedNotebook.Pictures;

/// <summary>
/// Issue 6, "see it": writes the notebook's pictures into <c>outputDir</c> and prints each file's path.
/// </summary>
public static class PicturesSection
{
    /// <summary>Seed of the random initialisation shown beside the manual weights.</summary>
    public const int RandomSeed = 0;

    /// <summary>The diagrams show the notebook's FIRST sample, x = (2.5, 3.0, -2.5).</summary>
    public const int DiagramSample = 0;

    /// <summary>SGD from the notebook's weights: at this rate the loss falls from 3.17 to ~1e-5 in 300 steps;
    /// 0.05 already overshoots.</summary>
    public const double LearningRate = 0.003;
    public const int Steps = 300;

    public static void Run(string outputDir, TextWriter? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDir);
        log ??= Console.Out;
        Directory.CreateDirectory(outputDir);

        var panels = DiagramPanels();
        Write(log, Path.Combine(outputDir, "network-manual-vs-random.svg"), p => File.WriteAllText(p, NetworkDiagram.ToSvg(panels)));
        Write(log, Path.Combine(outputDir, "network-manual-vs-random.png"), p => NetworkDiagram.SavePng(panels, p));

        // Training runs on the gradient SymGrad generated at compile time (SeedNet.LossGradient).
        IReadOnlyList<TrainingFrame> frames = Train(new SeedNotebook.Network.GeneratedLoss().Evaluate);
        log.WriteLine($"  SGD lr={LearningRate} on the 4 samples: loss {frames[0].Loss:R} at step 0, " +
                      $"{frames[^1].Loss:R} at step {frames[^1].Step}");
        Write(log, Path.Combine(outputDir, "loss-curve.png"), p => TrainingPlots.SaveLossCurve(frames, p,
            $"SGD on the notebook's 4 samples (lr = {LearningRate})"));
        Write(log, Path.Combine(outputDir, "predictions.png"), p => TrainingPlots.SavePredictions(
            Predictions(frames[0].Parameters), Predictions(frames[^1].Parameters), Targets(), p,
            $"Predictions against targets, before and after {frames[^1].Step} SGD steps"));
        Write(log, Path.Combine(outputDir, "training.html"), p => File.WriteAllText(p, AnimationPage.Build(frames)));

        var loss = ValueTapeLoss.Loss(ValueTapeLoss.BuildLeaves(Net3441.ManualParameters()));
        loss.Label = "loss";
        loss.Backward(); // so the graph shows each node's gradient too
        foreach (string path in ComputationGraph.Write(loss, Path.Combine(outputDir, "seed-loss-graph.dot"), log))
            log.WriteLine($"  wrote {Path.GetFullPath(path)}");
    }

    public static IReadOnlyList<TrainingFrame> Train(GradientFn gradient) =>
        SgdTraining.Run(gradient, Net3441.ManualParameters(), LearningRate, Steps);

    private static double[] Predictions(double[] parameters) =>
        Enumerable.Range(0, Net3441.SampleCount).Select(s => Net3441.Predict(parameters, Net3441.Input(s))).ToArray();

    private static double[] Targets() => Enumerable.Range(0, Net3441.SampleCount).Select(Net3441.Target).ToArray();

    /// <summary>The notebook's comparison: manual weights beside a seeded random initialisation.</summary>
    public static IReadOnlyList<NetworkDiagram.Panel> DiagramPanels()
    {
        double[] x = Net3441.Input(DiagramSample);
        return
        [
            new("Manual weights (notebook)", Net3441.ManualParameters(), x),
            new($"Random initialisation (seed {RandomSeed})", Net3441.RandomParameters(RandomSeed), x),
        ];
    }

    private static void Write(TextWriter log, string path, Action<string> write)
    {
        write(path);
        log.WriteLine($"  wrote {Path.GetFullPath(path)}");
    }
}
