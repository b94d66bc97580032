using BenchmarkDotNet.Attributes;
using SymGrad.Benchmarks.Baselines;
using SymGrad.Benchmarks.Cases;
using SymGrad.Benchmarks.Problems;

namespace SymGrad.Benchmarks.Benchmarks;

/// <summary>Case (b): the 16-32-32-1 network over a batch of 32; ratios against the hand-written backward pass.</summary>
[BenchmarkCategory("b wide 16-32-32-1 x32")]
public class WideBenchmarks
{
    private MlpProblem _p = null!;
    private MlpGradient _g = null!;

    [GlobalSetup]
    public void Setup()
    {
        _p = MlpProblem.Wide();
        _g = _p.NewGradient();
    }

    [Benchmark(Description = "primal (Loss)")]
    public double Primal() => WideNet.Loss(_p.W1, _p.B1, _p.W2, _p.B2, _p.WOut, _p.BOut, _p.X, _p.Y);

    [Benchmark(Baseline = true, Description = "hand-written backward")]
    public double HandWritten() => MlpHandWritten.LossGradient(_p.W1, _p.B1, _p.W2, _p.B2, _p.WOut, _p.BOut, _p.X, _p.Y,
                                                               _g.DW1, _g.DB1, _g.DW2, _g.DB2, _g.DWOut, ref _g.DBOut);

#if GENERATED
    [Benchmark(Description = "generated (LossGradient)")]
    public double Generated() => WideNet.LossGradient(_p.W1, _p.B1, _p.W2, _p.B2, _p.WOut, _p.BOut, _p.X, _p.Y,
                                                      _g.DW1, _g.DB1, _g.DW2, _g.DB2, _g.DWOut, ref _g.DBOut);
#endif

#if GENERATED && HAS_VALUE
    [Benchmark(Description = "generated tape (LossTape)")]
    public double GeneratedTape() => MlpTape.LossGradient(_p, _g, WideNet.LossTape);
#endif

#if HAS_VALUE
    [Benchmark(Description = "Value tape (by hand)")]
    public double Tape() => MlpTape.LossGradient(_p, _g);
#endif

    [FullOnly] // 2 x 1633 primal calls
    [Benchmark(Description = "central finite differences")]
    public MlpGradient FiniteDifference()
    {
        FiniteDifferences.Gradient(_p, _g);
        return _g;
    }
}
