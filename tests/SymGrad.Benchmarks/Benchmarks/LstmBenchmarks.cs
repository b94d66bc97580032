using BenchmarkDotNet.Attributes;
using SymGrad.Benchmarks.Baselines;
using SymGrad.Benchmarks.Cases;
using SymGrad.Benchmarks.Problems;

namespace SymGrad.Benchmarks.Benchmarks;

/// <summary>
/// Case (h): ADBench's LSTM objective, 2 layers, b = 14, 64 characters (266 parameters), every size read at run
/// time, so the generated gradient keeps its loops over time, layers and units; ratios against the hand-written
/// backward pass through time.
/// </summary>
[BenchmarkCategory("h lstm l2 b14 c64")]
public class LstmBenchmarks
{
    private LstmProblem _p = null!;
    private LstmHandWritten _hand = null!;

    [GlobalSetup]
    public void Setup()
    {
        _p = LstmProblem.Create();
        _hand = new LstmHandWritten(_p.Layers, _p.B, _p.C);
    }

    [Benchmark(Description = "primal (Objective)")]
    public double Primal() => Lstm.Objective(_p.MainParams, _p.ExtraParams, _p.State, _p.Sequence);

    [Benchmark(Description = "hand-written primal")]
    public double HandWrittenPrimal() => _hand.Objective(_p.MainParams, _p.ExtraParams, _p.State, _p.Sequence);

    [Benchmark(Baseline = true, Description = "hand-written backward")]
    public double HandWritten() => _hand.ObjectiveGradient(_p.MainParams, _p.ExtraParams, _p.State, _p.Sequence,
                                                           _p.DMainParams, _p.DExtraParams);

#if GENERATED
    [Benchmark(Description = "generated (ObjectiveGradient)")]
    public double Generated() => Lstm.ObjectiveGradient(_p.MainParams, _p.ExtraParams, _p.State, _p.Sequence,
                                                        _p.DMainParams, _p.DExtraParams);
#endif
}
