using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using SymGrad.Benchmarks.Benchmarks;

namespace SymGrad.Benchmarks;

/// <summary>
/// One joined table, grouped by case (category) so each ratio is against that case's hand-written baseline;
/// median and allocated bytes per call. Benchmarks run in-process: BenchmarkDotNet's default out-of-process
/// toolchain regenerates and rebuilds a project per run, slow on a shared 2-core machine and at odds with this
/// repository's warnings-as-errors build props; in-process keeps the same Release JIT and runtime.
/// </summary>
public static class BenchConfig
{
    public static IConfig Create(bool quick)
    {
        Job job = quick
            ? Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(5)
                 .WithIterationTime(TimeInterval.FromMilliseconds(120)).WithId("quick")
            : Job.Default.WithId("full");
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median)
            .AddColumn(CategoriesColumn.Default)
            .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory)
            .WithOptions(ConfigOptions.JoinSummary);
        if (quick)
            config = config.AddFilter(new SimpleFilter(b => b.Descriptor.WorkloadMethod.GetCustomAttribute<FullOnlyAttribute>() is null));
        return config;
    }
}
