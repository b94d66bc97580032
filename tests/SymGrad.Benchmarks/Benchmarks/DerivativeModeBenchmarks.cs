using BenchmarkDotNet.Attributes;
using SymGrad.Benchmarks.Cases;
using SymGrad.Benchmarks.Problems;

namespace SymGrad.Benchmarks.Benchmarks;

#if GENERATED
/// <summary>
/// Forward mode and second order on the seed loss: the JVP against the primal (target ≤ 2x) and the Hessian-vector
/// product against the gradient (target ≤ 4x), all generated, ratios against the generated gradient.
/// </summary>
[BenchmarkCategory("d seed: forward mode, H·v")]
public class SeedModeBenchmarks
{
    private MlpProblem _p = null!;
    private MlpGradient _g = null!, _hv = null!, _t = null!;

    [GlobalSetup]
    public void Setup()
    {
        _p = MlpProblem.Seed();
        _g = _p.NewGradient();
        _hv = _p.NewGradient();
        _t = _p.NewGradient();
        var random = new Random(1);
        foreach (double[] a in new[] { _t.DB1, _t.DB2, _t.DWOut }) for (int i = 0; i < a.Length; i++) a[i] = random.NextDouble() - 0.5;
        foreach (double[,] m in new[] { _t.DW1, _t.DW2 }) for (int i = 0; i < m.GetLength(0); i++) for (int j = 0; j < m.GetLength(1); j++) m[i, j] = random.NextDouble() - 0.5;
        _t.DBOut = 0.3;
    }

    [Benchmark(Description = "primal (Loss)")]
    public double Primal() => SeedNet.Loss(_p.W1, _p.B1, _p.W2, _p.B2, _p.WOut, _p.BOut, _p.X, _p.Y);

    [Benchmark(Baseline = true, Description = "gradient (LossGradient)")]
    public double Gradient() => SeedNet.LossGradient(_p.W1, _p.B1, _p.W2, _p.B2, _p.WOut, _p.BOut, _p.X, _p.Y,
                                                     _g.DW1, _g.DB1, _g.DW2, _g.DB2, _g.DWOut, ref _g.DBOut);

    [Benchmark(Description = "JVP (LossJvp)")]
    public double Jvp() => SeedNet.LossJvp(_p.W1, _p.B1, _p.W2, _p.B2, _p.WOut, _p.BOut, _p.X, _p.Y,
                                           _t.DW1, _t.DB1, _t.DW2, _t.DB2, _t.DWOut, _t.DBOut, out _);

    [Benchmark(Description = "H·v (LossHvp)")]
    public double Hvp() => SeedNet.LossHvp(_p.W1, _p.B1, _p.W2, _p.B2, _p.WOut, _p.BOut, _p.X, _p.Y,
                                           _t.DW1, _t.DB1, _t.DW2, _t.DB2, _t.DWOut, _t.DBOut,
                                           _g.DW1, _g.DB1, _g.DW2, _g.DB2, _g.DWOut, ref _g.DBOut,
                                           _hv.DW1, _hv.DB1, _hv.DW2, _hv.DB2, _hv.DWOut, ref _hv.DBOut);
}

/// <summary>The same on bundle adjustment's objective (branches, trigonometry, a division).</summary>
[BenchmarkCategory("e bundle adjustment: forward mode, H·v")]
public class BundleAdjustmentModeBenchmarks
{
    private BundleAdjustmentProblem _b = null!;
    private readonly double[] _tCam = [0.1, -0.2, 0.3, 0.05, -0.4, 0.2, 0.7, -0.1, 0.25, 0.15, -0.05];
    private readonly double[] _tX = [0.3, -0.1, 0.2];
    private readonly double[] _hvCam = new double[11], _hvX = new double[3];
    private double _hvW;

    [GlobalSetup]
    public void Setup() => _b = BundleAdjustmentProblem.Typical();

    [Benchmark(Description = "primal (Objective)")]
    public double Primal() => BundleAdjustment.Objective(_b.Cam, _b.X, _b.W, _b.Feat);

    [Benchmark(Baseline = true, Description = "gradient (ObjectiveGradient)")]
    public double Gradient() => BundleAdjustment.ObjectiveGradient(_b.Cam, _b.X, _b.W, _b.Feat, _b.DCam, _b.DX, ref _b.DW);

    [Benchmark(Description = "JVP (ObjectiveJvp)")]
    public double Jvp() => BundleAdjustment.ObjectiveJvp(_b.Cam, _b.X, _b.W, _b.Feat, _tCam, _tX, 0.2, out _);

    [Benchmark(Description = "H·v (ObjectiveHvp)")]
    public double Hvp() => BundleAdjustment.ObjectiveHvp(_b.Cam, _b.X, _b.W, _b.Feat, _tCam, _tX, 0.2,
                                                         _b.DCam, _b.DX, ref _b.DW, _hvCam, _hvX, ref _hvW);
}
#endif
