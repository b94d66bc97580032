using BenchmarkDotNet.Attributes;
using SymGrad.Benchmarks.Baselines;
using SymGrad.Benchmarks.Cases;
using SymGrad.Benchmarks.Problems;

namespace SymGrad.Benchmarks.Benchmarks;

/// <summary>
/// Case (c): ADBench's bundle-adjustment objective for one observation, <c>0.5 |r|^2</c> over its three
/// residuals; ratios against the hand-derived gradient.
/// </summary>
[BenchmarkCategory("c bundle adjustment")]
public class BundleAdjustmentBenchmarks
{
    private BundleAdjustmentProblem _b = null!;

    [GlobalSetup]
    public void Setup() => _b = BundleAdjustmentProblem.Typical();

    [Benchmark(Description = "primal (Objective)")]
    public double Primal() => BundleAdjustment.Objective(_b.Cam, _b.X, _b.W, _b.Feat);

    [Benchmark(Baseline = true, Description = "hand-derived gradient")]
    public double HandWritten() =>
        BundleAdjustmentHandWritten.ObjectiveGradient(_b.Cam, _b.X, _b.W, _b.Feat, _b.DCam, _b.DX, ref _b.DW);

#if GENERATED
    [Benchmark(Description = "generated (ObjectiveGradient)")]
    public double Generated() =>
        BundleAdjustment.ObjectiveGradient(_b.Cam, _b.X, _b.W, _b.Feat, _b.DCam, _b.DX, ref _b.DW);
#endif

#if HAS_VALUE
    [Benchmark(Description = "Value tape (by hand)")]
    public double Tape() => BundleAdjustmentTape.ObjectiveGradient(_b);
#endif

    [Benchmark(Description = "central finite differences")]
    public BundleAdjustmentProblem FiniteDifference()
    {
        FiniteDifferences.Gradient(_b);
        return _b;
    }
}
