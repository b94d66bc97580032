using BenchmarkDotNet.Attributes;
using SymGrad.Benchmarks.Baselines;
using SymGrad.Benchmarks.Cases;
using SymGrad.Benchmarks.Problems;

namespace SymGrad.Benchmarks.Benchmarks;

#if GENERATED
/// <summary>
/// Case (c) as ADBench times it: the 3 x 15 Jacobian of one observation's residuals (target: generated ≤ 1.1x
/// hand-derived). The generated Jacobian runs the forward sweep once and one backward sweep per row; three VJPs
/// with unit seeds (a forward sweep each) are shown beside it.
/// </summary>
[BenchmarkCategory("g bundle adjustment: Jacobian")]
public class BundleAdjustmentJacobianBenchmarks
{
    private BundleAdjustmentProblem _b = null!;
    private readonly double[] _r = new double[3];
    private readonly double[,] _jacobian = new double[3, 15];
    private readonly double[] _seed = new double[3], _dCam = new double[11], _dX = new double[3];
    private double _dW;

    [GlobalSetup]
    public void Setup() => _b = BundleAdjustmentProblem.Typical();

    [Benchmark(Description = "primal (Residuals)")]
    public double Primal()
    {
        BundleAdjustmentResiduals.Residuals(_b.Cam, _b.X, _b.W, _b.Feat, _r);
        return _r[0];
    }

    [Benchmark(Baseline = true, Description = "hand-derived Jacobian")]
    public double HandWritten()
    {
        BundleAdjustmentJacobianHandWritten.Jacobian(_b.Cam, _b.X, _b.W, _b.Feat, _r, _jacobian);
        return _jacobian[1, 3];
    }

    [Benchmark(Description = "generated (ResidualsJacobian)")]
    public double Generated()
    {
        BundleAdjustmentResiduals.ResidualsJacobian(_b.Cam, _b.X, _b.W, _b.Feat, _r, _jacobian);
        return _jacobian[1, 3];
    }

    [Benchmark(Description = "three generated VJPs (ResidualsVjp, unit seeds)")]
    public double ThreeVjps()
    {
        double sum = 0;
        for (int row = 0; row < 3; row++)
        {
            _seed[row] = 1;
            BundleAdjustmentResiduals.ResidualsVjp(_b.Cam, _b.X, _b.W, _b.Feat, _r, _seed, _dCam, _dX, ref _dW);
            _seed[row] = 0;
            sum += _dCam[3];
        }
        return sum;
    }
}
#endif
