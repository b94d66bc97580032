using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Moons;

/// <summary>
/// micrograd's demo notebook (demo.ipynb) reproduced: make_moons(100, noise=0.1), MLP(2, [16, 16, 1]), the SVM
/// max-margin loss with L2, 100 steps of SGD; trained on the gradient SymGrad generated (MoonsNet.LossGradient) and,
/// side by side, on the Value tape (MoonsNet.LossTape), whose losses must agree at every step. Pictures go to the
/// folder given as the first argument, by default out/ under the current directory (as the seed notebook's).
/// </summary>
public static class Program
{
    public const ulong DataSeed = 1337, InitSeed = 1337;

    /// <summary>The two trainings' losses must agree to this, relative, at every step.</summary>
    public const double Agreement = 1e-9;

    public static int Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        string outputDir = args.Length > 0 ? args[0] : "out";
        Directory.CreateDirectory(outputDir);

        Console.WriteLine("SymGrad: micrograd's moons demo reproduced in C#");
        MoonsData data = MoonsData.Make(nSamples: 100, noise: 0.1, seed: DataSeed);
        MoonsModel initial = MoonsModel.Micrograd(InitSeed);
        Console.WriteLine($"  make_moons(n_samples={data.Count}, noise=0.1), SplitMix64 seed {DataSeed}; labels y*2-1 = ±1 " +
                          $"({data.Ys.Count(y => y < 0)} outer, {data.Ys.Count(y => y > 0)} inner)");
        Console.WriteLine($"  MLP(2, [16, 16, 1]): {initial.ParameterCount} parameters, weights uniform(-1, 1) " +
                          $"(SplitMix64 seed {InitSeed}), biases 0 as micrograd's Neuron");
        bool optimised = !(typeof(Program).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled ?? false);
        Console.WriteLine($"  build: {(optimised ? "Release (optimised)" : "Debug (JIT optimisations off: add -c Release for representative times)")}; " +
                          $"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine();

        MoonsModel generated = initial.Clone(), tape = initial.Clone();
        List<StepRecord> gen = Training.Run(generated, data, Training.GeneratedLoss);
        List<StepRecord> tap = Training.Run(tape, data, Training.TapeLoss);

        double worst = 0;
        for (int k = 0; k < gen.Count; k++)
        {
            double rel = Math.Abs(gen[k].Loss - tap[k].Loss) / Math.Max(Math.Abs(tap[k].Loss), double.Epsilon);
            worst = Math.Max(worst, rel);
            if (!(rel <= Agreement))
                throw new InvalidOperationException($"step {k}: generated loss {gen[k].Loss:R} and tape loss {tap[k].Loss:R} differ by {rel:E2} relative");
            Console.WriteLine($"step {k} loss {gen[k].Loss:R}, accuracy {100 * gen[k].Accuracy:0.#}%" +
                              $"    [tape: {(gen[k].Loss == tap[k].Loss ? "same loss" : $"rel. diff {rel:E1}")}, " +
                              $"{gen[k].Milliseconds:0.000} ms generated, {tap[k].Milliseconds:0.00} ms tape]");
        }

        double finalLoss = MoonsNet.Loss(generated.W1, generated.B1, generated.W2, generated.B2, generated.W3, generated.B3, data.Xs, data.Ys);
        double finalAccuracy = generated.Accuracy(data.Xs, data.Ys);
        double genMs = Training.Median(gen.Select(r => r.Milliseconds)), tapeMs = Training.Median(tap.Select(r => r.Milliseconds));
        Console.WriteLine();
        Console.WriteLine($"after {gen.Count} steps: loss {finalLoss:R}, accuracy {100 * finalAccuracy:0.#}% " +
                          $"(first at 100%: {FirstPerfect(gen)})");
        Console.WriteLine($"the two trainings' losses agree at every step: largest relative difference {worst:E1} (limit {Agreement:E0})");
        Console.WriteLine($"time per step (loss + gradient + update, median over {gen.Count} steps): " +
                          $"generated {genMs:0.000} ms, tape {tapeMs:0.00} ms; tape / generated = {tapeMs / genMs:0}x");
        Console.WriteLine();

        Console.WriteLine($"Pictures (written under {outputDir}/):");
        var boundary = MoonsPlots.DecisionBoundary(generated, data, 0.02,
            $"Decision boundary after {gen.Count} SGD steps: accuracy {100 * finalAccuracy:0.#}%");
        foreach (string path in MoonsPlots.Save(boundary, outputDir, "moons-decision-boundary", 800, 600))
            Console.WriteLine($"  wrote {Path.GetFullPath(path)}");
        var curves = MoonsPlots.Curves(gen, "micrograd's moons demo: SGD on the generated gradient");
        foreach (string path in MoonsPlots.Save(curves, outputDir, "moons-training", 800, 450))
            Console.WriteLine($"  wrote {Path.GetFullPath(path)}");
        return 0;
    }

    private static string FirstPerfect(List<StepRecord> records)
    {
        int i = records.FindIndex(r => r.Accuracy == 1.0);
        return i < 0 ? "never" : $"step {records[i].Step}";
    }
}
