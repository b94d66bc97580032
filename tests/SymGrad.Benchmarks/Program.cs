using BenchmarkDotNet.Running;
using SymGrad.Benchmarks;
using SymGrad.Benchmarks.Benchmarks;

// dotnet run -c Release --project tests/SymGrad.Benchmarks -- [--quick] [--verify] [BenchmarkDotNet options]
//   --verify  checks every gradient implementation against the others and finite differences (exit code = failures)
//   --quick   a short in-process job (well under a minute); without it, BenchmarkDotNet's default job
// Other arguments go to BenchmarkDotNet (e.g. --filter '*Seed*'); the default filter is everything.
bool quick = args.Contains("--quick");
if (args.Contains("--verify")) return Verify.Run();

string[] rest = [.. args.Where(a => a is not ("--quick" or "--verify"))];
if (!rest.Contains("--filter")) rest = [.. rest, "--filter", "*"];

BenchmarkSwitcher
    .FromTypes([typeof(SeedBenchmarks), typeof(WideBenchmarks), typeof(BundleAdjustmentBenchmarks), typeof(MnistBenchmarks), typeof(MnistFloatBenchmarks),
                typeof(GmmBenchmarks), typeof(LstmBenchmarks),
                typeof(GeneratorCostBenchmarks),
#if GENERATED
                typeof(SeedModeBenchmarks), typeof(BundleAdjustmentModeBenchmarks), typeof(BundleAdjustmentJacobianBenchmarks),
#endif
               ])
    .Run(rest, BenchConfig.Create(quick));
GeneratorRunner.PrintEmittedSizes(Console.Out);
return 0;
