using BenchmarkDotNet.Attributes;
using SymGrad.Benchmarks.Baselines;
using SymGrad.Benchmarks.Cases;
using SymGrad.Benchmarks.Problems;

namespace SymGrad.Benchmarks.Benchmarks;

/// <summary>
/// Case (f) in float against the same network in double, in one run: the hand-written backward pass in double is
/// the baseline, and the float one is the same generic code (<see cref="MnistMlpHandWritten{T}"/>).
/// </summary>
[BenchmarkCategory("f mnist float vs double")]
public class MnistFloatBenchmarks
{
    private MnistProblem _d = null!;
    private MnistFloatProblem _f = null!;

    [GlobalSetup]
    public void Setup()
    {
        _d = MnistProblem.Create();
        _f = MnistFloatProblem.From(_d);
    }

    [Benchmark(Baseline = true, Description = "double: hand-written backward")]
    public double HandWrittenDouble() => MnistMlpHandWritten<double>.LossGradient(_d.W1, _d.B1, _d.W2, _d.B2, _d.X, _d.Labels,
                                                                               _d.DW1, _d.DB1, _d.DW2, _d.DB2);

    [Benchmark(Description = "float: primal (Loss)")]
    public float PrimalFloat() => _f.Loss();

    [Benchmark(Description = "float: hand-written backward")]
    public float HandWrittenFloat() => MnistMlpHandWritten<float>.LossGradient(_f.W1, _f.B1, _f.W2, _f.B2, _f.X, _f.Labels,
                                                                             _f.DW1, _f.DB1, _f.DW2, _f.DB2);

#if GENERATED
    [Benchmark(Description = "double: generated (LossGradient)")]
    public double GeneratedDouble() => MnistMlp.LossGradient(_d.W1, _d.B1, _d.W2, _d.B2, _d.X, _d.Labels, _d.DW1, _d.DB1, _d.DW2, _d.DB2);

    [Benchmark(Description = "float: generated (LossGradient)")]
    public float GeneratedFloat() => MnistMlpFloat.LossGradient(_f.W1, _f.B1, _f.W2, _f.B2, _f.X, _f.Labels, _f.DW1, _f.DB1, _f.DW2, _f.DB2);
#endif
}
