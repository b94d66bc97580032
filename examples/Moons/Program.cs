using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Moons;

/// <summary>
/// micrograd's demo notebook (demo.ipynb) reproduced: make_moons(100, noise=0.1), MLP(2, [16, 16, 1]), the SVM
/// max-margin loss with L2, 100 steps of SGD; trained on the gradient SymGrad generated (MoonsNet.LossGradient) and,
/// side by side, on the Value tape (MoonsNet.LossTape, the method's tape twin) and with micrograd's own code on
/// SymGrad.Nn.Mlp (MicrogradLoss); the three trainings' losses must agree at every step. Pictures go to the
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

        MoonsModel generated = initial.Clone(), tape = initial.Clone(), micrograd = initial.Clone();
        List<StepRecord> gen = Training.Run(generated, data, Training.GeneratedLoss);
        List<StepRecord> tap = Training.Run(tape, data, Training.TapeLoss);
        List<StepRecord> mg = Training.Run(micrograd, data, new MicrogradLoss().Evaluate);

        double worst = 0, worstMicrograd = 0;
        for (int k = 0; k < gen.Count; k++)
        {
            double rel = Relative(gen[k].Loss, tap[k].Loss);
            worst = Math.Max(worst, rel);
            worstMicrograd = Math.Max(worstMicrograd, Relative(gen[k].Loss, mg[k].Loss));
            if (!(rel <= Agreement) || !(Relative(gen[k].Loss, mg[k].Loss) <= Agreement))
                throw new InvalidOperationException($"step {k}: generated loss {gen[k].Loss:R}, tape twin {tap[k].Loss:R}, " +
                                                    $"micrograd's code {mg[k].Loss:R} differ by more than {Agreement:E0} relative");
            Console.WriteLine($"step {k} loss {gen[k].Loss:R}, accuracy {100 * gen[k].Accuracy:0.#}%" +
                              $"    [tape twin {Diff(gen[k].Loss, tap[k].Loss)}, micrograd {Diff(gen[k].Loss, mg[k].Loss)}; " +
                              $"ms: generated {gen[k].Milliseconds:0.000}, tape {tap[k].Milliseconds:0.0}, micrograd {mg[k].Milliseconds:0.0}]");
        }

        double finalLoss = MoonsNet.Loss(generated.W1, generated.B1, generated.W2, generated.B2, generated.W3, generated.B3, data.Xs, data.Ys);
        double finalAccuracy = generated.Accuracy(data.Xs, data.Ys);
        double genMs = Training.Median(gen.Select(r => r.Milliseconds)), tapeMs = Training.Median(tap.Select(r => r.Milliseconds)),
               mgMs = Training.Median(mg.Select(r => r.Milliseconds));
        Console.WriteLine();
        Console.WriteLine($"after {gen.Count} steps: loss {finalLoss:R}, accuracy {100 * finalAccuracy:0.#}% " +
                          $"(first at 100%: {FirstPerfect(gen)})");
        Console.WriteLine($"the losses agree at every step: largest relative difference from the generated gradient's training " +
                          $"{worst:E1} on the tape twin, {worstMicrograd:E1} on micrograd's code (limit {Agreement:E0})");
        Console.WriteLine($"time per step (loss + gradient + update, median over {gen.Count} steps):");
        Console.WriteLine($"  generated gradient (MoonsNet.LossGradient)         {genMs,9:0.000} ms");
        Console.WriteLine($"  tape twin (MoonsNet.LossTape + Value.Backward)     {tapeMs,9:0.000} ms   {tapeMs / genMs,5:0}x the generated");
        Console.WriteLine($"  micrograd's code on SymGrad.Nn.Mlp (Value engine)  {mgMs,9:0.000} ms   {mgMs / genMs,5:0}x the generated");
        Console.WriteLine();

        Console.WriteLine($"Pictures (written under {outputDir}/):");
        var boundary = MoonsPlots.DecisionBoundary(generated, data, 0.02,
            $"Decision boundary after {gen.Count} SGD steps: accuracy {100 * finalAccuracy:0.#}%");
        foreach (string path in PlotFiles.SavePngAndSvg(boundary, outputDir, "moons-decision-boundary", 800, 600))
            Console.WriteLine($"  wrote {Path.GetFullPath(path)}");
        var curves = MoonsPlots.Curves(gen, "micrograd's moons demo: SGD on the generated gradient");
        foreach (string path in PlotFiles.SavePngAndSvg(curves, outputDir, "moons-training", 800, 450))
            Console.WriteLine($"  wrote {Path.GetFullPath(path)}");
        return 0;
    }

    private static string Diff(double a, double reference) =>
        a == reference ? "same loss" : $"rel. diff {Relative(a, reference):E1}";

    private static double Relative(double a, double reference) =>
        Math.Abs(a - reference) / Math.Max(Math.Abs(reference), double.Epsilon);

    private static string FirstPerfect(List<StepRecord> records)
    {
        int i = records.FindIndex(r => r.Accuracy == 1.0);
        return i < 0 ? "never" : $"step {records[i].Step}";
    }
}
