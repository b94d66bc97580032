using System.Diagnostics;
using System.Text.Json;
using SymGrad.Benchmarks.Cases;
using SymGrad.Benchmarks.Problems;
using SeedNotebook.Network;
using SeedNotebook.Sections;
using NotebookSeedNet = SeedNotebook.Network.SeedNet;

// SymGrad's side of benchmarks/peers:
//   dotnet run -c Release --project benchmarks/peers/SymGradPeers -- <out-dir> [--seconds S]
// writes into <out-dir>:
//   mnist.bin         the MNIST-size case's data and parameters (MnistProblem.Create(), seeded), float64 little-endian,
//                     in the order W1 (128x784), b1, W2 (10x128), b2, X (64x784), labels (64, class indices as doubles)
//   mnist_grad.bin    SymGrad's generated gradient on it, in the order dW1, db1, dW2, db2
//   symgrad.json      the losses, the seed's generated gradients (the notebook's loss and the corrected MSE) and the
//                     timings: median over blocks of calls (each block >= 10 ms) after a warm-up, the same method as
//                     the Python peers (peertiming.py)
string outDir = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "out";
double seconds = 5;
int si = Array.IndexOf(args, "--seconds");
if (si >= 0) seconds = double.Parse(args[si + 1], System.Globalization.CultureInfo.InvariantCulture);
Directory.CreateDirectory(outDir);

// ---- MNIST-size MLP, case (f) ----
var mnist = MnistProblem.Create();
using (var w = new BinaryWriter(File.Create(Path.Combine(outDir, "mnist.bin"))))
{
    foreach (double v in (double[])[.. mnist.W1.Cast<double>(), .. mnist.B1, .. mnist.W2.Cast<double>(), .. mnist.B2,
                                    .. mnist.X.Cast<double>(), .. mnist.Labels])
        w.Write(v);
}
double mnistLoss = MnistMlp.Loss(mnist.W1, mnist.B1, mnist.W2, mnist.B2, mnist.X, mnist.Labels);
double mnistGradLoss = MnistMlp.LossGradient(mnist.W1, mnist.B1, mnist.W2, mnist.B2, mnist.X, mnist.Labels,
                                             mnist.DW1, mnist.DB1, mnist.DW2, mnist.DB2);
using (var w = new BinaryWriter(File.Create(Path.Combine(outDir, "mnist_grad.bin"))))
{
    foreach (double v in mnist.GradientVector()) w.Write(v);
}
var mnistTime = Timing.Measure(() => MnistMlp.LossGradient(mnist.W1, mnist.B1, mnist.W2, mnist.B2, mnist.X, mnist.Labels,
                                                           mnist.DW1, mnist.DB1, mnist.DW2, mnist.DB2), seconds);
Console.WriteLine($"mnist 784-128-10 x64 float64: loss {mnistGradLoss:R}, generated LossGradient {mnistTime.MedianNs / 1e3:F1} us/call");

// ---- The seed, case (a): the benchmark's SeedNet, timed ----
var sp = SeedParameters.Notebook();
double[,] sx = SeedParameters.Inputs();
double[] sy = SeedData.Targets();
double[,] g1 = new double[4, 3], g2 = new double[4, 4];
double[] gb1 = new double[4], gb2 = new double[4], gOut = new double[4];
double gbOut = 0;
double seedBenchLoss = SymGrad.Benchmarks.Cases.SeedNet.LossGradient(sp.W1, sp.B1, sp.W2, sp.B2, sp.WOut, sp.BOut, sx, sy,
                                                                     g1, gb1, g2, gb2, gOut, ref gbOut);
var seedTime = Timing.Measure(() => SymGrad.Benchmarks.Cases.SeedNet.LossGradient(sp.W1, sp.B1, sp.W2, sp.B2, sp.WOut, sp.BOut,
                                                                                  sx, sy, g1, gb1, g2, gb2, gOut, ref gbOut), seconds);
Console.WriteLine($"seed 3-4-4-1 x4: loss {seedBenchLoss:R}, generated LossGradient {seedTime.MedianNs:F1} ns/call");

// ---- The seed notebook's network (examples/SeedNotebook), with dLoss/dX: the numbers seed_pytorch.py checks ----
var d = new SeedParameters();
double[,] dX = new double[4, 3];
double dBOut = 0;
double sse = NotebookSeedNet.LossGradient(sp.W1, sp.B1, sp.W2, sp.B2, sp.WOut, sp.BOut, sx, sy,
                                          d.W1, d.B1, d.W2, d.B2, d.WOut, ref dBOut, dX);
double[][] Rows(double[,] m) =>
    [.. Enumerable.Range(0, m.GetLength(0)).Select(i => Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j]).ToArray())];
// The corrected MSE is the notebook's sum of squares over 4: dividing by 4 is exact in binary floating point, so
// its gradients are the generated ones over 4, exactly.
double[][] Quarter(double[][] t) => [.. t.Select(r => r.Select(v => v / 4).ToArray())];
var sseGrad = new Dictionary<string, double[][]>
{
    ["W1"] = Rows(d.W1), ["W2"] = Rows(d.W2), ["W_out"] = [d.WOut], ["b1"] = [d.B1], ["b2"] = [d.B2],
    ["b_out"] = [[dBOut]], ["X"] = Rows(dX),
};

var json = new Dictionary<string, object>
{
    ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
    ["mnist"] = new Dictionary<string, object>
    {
        ["loss"] = mnistLoss, ["gradient_loss"] = mnistGradLoss,
        ["median_ns"] = mnistTime.MedianNs, ["min_ns"] = mnistTime.MinNs, ["calls"] = mnistTime.Calls, ["blocks"] = mnistTime.Blocks,
        ["loadavg_before"] = mnistTime.LoadBefore, ["loadavg_after"] = mnistTime.LoadAfter,
    },
    ["seed"] = new Dictionary<string, object>
    {
        ["loss"] = seedBenchLoss,
        ["median_ns"] = seedTime.MedianNs, ["min_ns"] = seedTime.MinNs, ["calls"] = seedTime.Calls, ["blocks"] = seedTime.Blocks,
        ["loadavg_before"] = seedTime.LoadBefore, ["loadavg_after"] = seedTime.LoadAfter,
        ["sse"] = sse, ["sse_grad"] = sseGrad,
        ["mse"] = sse / 4, ["mse_grad"] = sseGrad.ToDictionary(kv => kv.Key, kv => Quarter(kv.Value)),
    },
};
File.WriteAllText(Path.Combine(outDir, "symgrad.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"wrote {Path.Combine(outDir, "symgrad.json")}");
return 0;

/// <summary>
/// Median time per call over blocks of calls: warm up for a second (tiered JIT), size a block to take at least
/// 10 ms, then time blocks for the given number of seconds. peertiming.py does the same in Python.
/// </summary>
internal static class Timing
{
    public readonly record struct Result(double MedianNs, double MinNs, long Calls, int Blocks, double[] LoadBefore, double[] LoadAfter);

    public static double[] LoadAverage() =>
        File.Exists("/proc/loadavg")
            ? [.. File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))]
            : [];

    public static Result Measure(Action call, double seconds)
    {
        double[] before = LoadAverage();
        var sw = Stopwatch.StartNew();
        long warm = 0;
        while (sw.Elapsed.TotalSeconds < 1.0 || warm < 50) { call(); warm++; }

        long n = 1;
        while (true)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (long i = 0; i < n; i++) call();
            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (ms >= 10) break;
            n = ms <= 0.5 ? n * 10 : (long)Math.Ceiling(n * 12 / ms);
        }

        var perCall = new List<double>();
        sw.Restart();
        while (sw.Elapsed.TotalSeconds < seconds || perCall.Count < 5)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (long i = 0; i < n; i++) call();
            perCall.Add(Stopwatch.GetElapsedTime(t0).TotalNanoseconds / n);
        }
        perCall.Sort();
        int c = perCall.Count;
        double median = c % 2 == 1 ? perCall[c / 2] : (perCall[c / 2 - 1] + perCall[c / 2]) / 2;
        return new Result(median, perCall[0], n * c, c, before, LoadAverage());
    }
}
