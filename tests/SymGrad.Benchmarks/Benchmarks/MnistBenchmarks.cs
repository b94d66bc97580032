using BenchmarkDotNet.Attributes;
using SymGrad.Benchmarks.Baselines;
using SymGrad.Benchmarks.Cases;
using SymGrad.Benchmarks.Problems;

namespace SymGrad.Benchmarks.Benchmarks;

/// <summary>
/// Case (f): the 784-128-10 ReLU classifier with softmax cross-entropy over a batch of 64, every size read at run
/// time, so the generated gradient keeps its loops; ratios against the hand-written backward pass.
/// </summary>
[BenchmarkCategory("f mnist 784-128-10 x64")]
public class MnistBenchmarks
{
    private MnistProblem _p = null!;

    [GlobalSetup]
    public void Setup() => _p = MnistProblem.Create();

    [Benchmark(Description = "primal (Loss)")]
    public double Primal() => MnistMlp.Loss(_p.W1, _p.B1, _p.W2, _p.B2, _p.X, _p.Labels);

    [Benchmark(Description = "hand-written primal")]
    public double HandWrittenPrimal() => MnistMlpHandWritten<double>.Loss(_p.W1, _p.B1, _p.W2, _p.B2, _p.X, _p.Labels);

    [Benchmark(Baseline = true, Description = "hand-written backward")]
    public double HandWritten() => MnistMlpHandWritten<double>.LossGradient(_p.W1, _p.B1, _p.W2, _p.B2, _p.X, _p.Labels,
                                                                    _p.DW1, _p.DB1, _p.DW2, _p.DB2);

#if GENERATED
    [Benchmark(Description = "generated (LossGradient)")]
    public double Generated() => MnistMlp.LossGradient(_p.W1, _p.B1, _p.W2, _p.B2, _p.X, _p.Labels,
                                                       _p.DW1, _p.DB1, _p.DW2, _p.DB2);
#endif
}
