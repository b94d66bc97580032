using BenchmarkDotNet.Attributes;
using SymGrad.Benchmarks.Baselines;
using SymGrad.Benchmarks.Cases;
using SymGrad.Benchmarks.Problems;

namespace SymGrad.Benchmarks.Benchmarks;

/// <summary>
/// Case (g): ADBench's GMM objective, d = 10, k = 25, n = 1,000 (1,650 parameters), every size read at run time, so
/// the generated gradient keeps its loops; ratios against the hand-written gradient.
/// </summary>
[BenchmarkCategory("g gmm d10 k25 n1000")]
public class GmmBenchmarks
{
    private GmmProblem _p = null!;
    private GmmHandWritten _hand = null!;

    [GlobalSetup]
    public void Setup()
    {
        _p = GmmProblem.Create();
        _hand = new GmmHandWritten(_p.D, _p.K);
    }

    [Benchmark(Description = "primal (Objective)")]
    public double Primal() => Gmm.Objective(_p.Alphas, _p.Means, _p.Icf, _p.X, _p.Gamma, _p.M);

    [Benchmark(Description = "hand-written primal")]
    public double HandWrittenPrimal() => _hand.Objective(_p.Alphas, _p.Means, _p.Icf, _p.X, _p.Gamma, _p.M);

    [Benchmark(Baseline = true, Description = "hand-written gradient")]
    public double HandWritten() => _hand.ObjectiveGradient(_p.Alphas, _p.Means, _p.Icf, _p.X, _p.Gamma, _p.M,
                                                           _p.DAlphas, _p.DMeans, _p.DIcf);

#if GENERATED
    [Benchmark(Description = "generated (ObjectiveGradient)")]
    public double Generated() => Gmm.ObjectiveGradient(_p.Alphas, _p.Means, _p.Icf, _p.X, _p.Gamma, _p.M,
                                                       _p.DAlphas, _p.DMeans, _p.DIcf);
#endif
}
