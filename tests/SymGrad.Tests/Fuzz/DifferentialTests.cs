using System.Diagnostics;
using CsCheck;
using Xunit.Abstractions;

namespace SymGrad.Tests.Fuzz;

/// <summary>
/// Differential testing of the generator: random [Differentiable] programs (<see cref="RandomPrograms"/>), each
/// compiled with the generator and checked at 3 random points: generated gradient = tape twin (1e-12 relative) =
/// central finite differences (1e-4, where those are stable). Programs are compiled 50 to a compilation. A failure
/// is shrunk to a minimal program, which the message prints first. Every run checks the same programs at the same
/// points (<see cref="FixedSample"/> says why CsCheck's own seed did not give that); their count and checksum go to
/// TestResults/fuzz-manifest.txt, which <c>.ci/run</c> prints. <c>SYMGRAD_FUZZ_PROGRAMS=N</c> runs a longer
/// campaign, <c>SYMGRAD_FUZZ_SEED</c> picks another seed.
/// </summary>
public class DifferentialTests(ITestOutputHelper output)
{
    private const int BatchSize = 50;

    /// <summary>Programs in a CI run: one to two and a half minutes on 2 busy cores, depending on the load (README, "Correctness").</summary>
    private const int CiPrograms = 3000;

    internal static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int v) && v > 0 ? v : fallback;

    [Fact]
    public void Random_programs_match_the_tape_and_finite_differences()
    {
        int programs = EnvInt("SYMGRAD_FUZZ_PROGRAMS", CiPrograms);
        int batches = (programs + BatchSize - 1) / BatchSize;
        (Counts counts, var failures) = CheckDrawn(nameof(Random_programs_match_the_tape_and_finite_differences),
            RandomPrograms.Programs.Array[BatchSize], FixedSample.Seed(20261126), batches, BatchSize);

        if (failures.Count > 0) Assert.Fail(Report(failures));
        Assert.Equal(batches * BatchSize, counts.Programs);
        // The skips must stay rare, or the finite-difference check would be vacuous.
        Assert.True(counts.NonFinitePoints * 20 < counts.Points, counts.ToString());
        Assert.True(counts.NonFiniteIntermediates * 20 < counts.Points, counts.ToString());
        // Forward mode is checked at every point reverse mode is (each program asks for both).
        Assert.True(counts.Jvps * 20 > counts.Points * 19, counts.ToString());
        Assert.True(counts.HvpUnstable * 10 < counts.HvpEntries, counts.ToString());
        Assert.True(counts.HvpNonZero * 5 > counts.HvpEntries, counts.ToString()); // second derivatives, not 0 = 0
        Assert.True(counts.UnstableDifferences * 20 < counts.Coordinates, counts.ToString());
        // And many derivatives must be nonzero (a program reads only some of v and w), or most comparisons would be 0 = 0.
        Assert.True(counts.NonZero * 4 > counts.Coordinates, counts.ToString());
    }

    /// <summary>Programs with long constant loops (kept as loops, past the unrolling budget): 10 to a compilation; SYMGRAD_FUZZ_LARGE=N for more.</summary>
    [Fact]
    public void Programs_with_long_constant_loops_match_the_tape_and_finite_differences()
    {
        const int batchSize = 10;
        int programs = EnvInt("SYMGRAD_FUZZ_LARGE", 60);
        int batches = (programs + batchSize - 1) / batchSize;
        (Counts counts, var failures) = CheckDrawn(nameof(Programs_with_long_constant_loops_match_the_tape_and_finite_differences),
            RandomPrograms.LargePrograms.Array[batchSize], FixedSample.Seed(20261128), batches, batchSize);

        if (failures.Count > 0) Assert.Fail(Report(failures));
        Assert.Equal(batches * batchSize, counts.Programs);
        Assert.True(counts.UnstableDifferences * 20 < counts.Coordinates, counts.ToString());
        // Their long constant loops (past the unrolling budget) now stay loops, with branches and carried values
        // inside: none is split (SplitTests covers splitting, on long straight-line source).
        Assert.Equal(0, counts.Split);
    }

    /// <summary>
    /// Draws the batches of a run, records their count and checksum (and afterwards the result) in the manifest,
    /// and checks every program, one compilation per batch.
    /// </summary>
    private (Counts Counts, List<(Program Program, Verdict Verdict)> Failures) CheckDrawn(string test, Gen<Program[]> batchGen, ulong seed, int batches, int batchSize) =>
        CheckDrawn(output, test, batchGen, seed, batches, batchSize);

    /// <summary>The same for any kind of program (<see cref="LoopFuzzTests"/> checks <see cref="LoopProgram"/>s).</summary>
    internal static (Counts Counts, List<(TProgram Program, Verdict Verdict)> Failures) CheckDrawn<TProgram>(
        ITestOutputHelper output, string test, Gen<TProgram[]> batchGen, ulong seed, int batches, int batchSize) where TProgram : ICheckedProgram<TProgram>
    {
        var counts = new Counts();
        var failures = new List<(TProgram Program, Verdict Verdict)>();
        var clock = Stopwatch.StartNew();
        TProgram[][] drawn = FixedSample.Draw(batchGen, seed, batches);
        string checksum = FixedSample.Checksum(drawn.SelectMany(b => b).Select(p => p.ToString() ?? ""));
        FixedSample.Record(test, batches * batchSize, "programs", checksum);
        foreach (TProgram[] batch in drawn)
        {
            Verdict[] verdicts = ProgramChecker.CheckBatch(batch, counts);
            failures.AddRange(batch.Zip(verdicts).Where(p => p.Second.Kind != FailureKind.None));
        }
        output.WriteLine($"Checked {counts} in {clock.Elapsed.TotalSeconds:F0} s ({batches} compilations of {batchSize}); programs' checksum {checksum}.");
        FixedSample.Record(test + " (result)", $"{counts}; {failures.Count} failing");
        return (counts, failures);
    }

    /// <summary>
    /// The programs a run checks depend on the seed alone: drawn on several threads at once they are the same, and
    /// another seed draws others. (CsCheck's Sample with a seed fixed only its first iteration: see <see cref="FixedSample"/>.)
    /// </summary>
    [Fact]
    public void The_programs_depend_on_the_seed_alone()
    {
        static string Draw(ulong seed) =>
            FixedSample.Checksum(FixedSample.Draw(RandomPrograms.Programs.Array[BatchSize], seed, 4).SelectMany(b => b).Select(p => p.ToString()));
        string[] sums = new string[4];
        Parallel.For(0, sums.Length, i => sums[i] = Draw(20261126));
        Assert.Single(sums.Distinct());
        Assert.NotEqual(sums[0], Draw(20261127));
    }

    /// <summary>The first failure, shrunk, then a one-line summary of every failure.</summary>
    internal static string Report<TProgram>(List<(TProgram Program, Verdict Verdict)> failures) where TProgram : ICheckedProgram<TProgram>
    {
        (TProgram first, Verdict verdict) = failures[0];
        (TProgram minimal, Verdict minimalVerdict, int steps) = ProgramChecker.Shrink(first, verdict);
        return $"{failures.Count} failing programs. The first, shrunk in {steps} steps ({minimalVerdict.Kind}: {minimalVerdict.Detail}):\n\n"
            + minimal + "\n\nAll failures:\n"
            + string.Join("\n", failures.Select(f => $"- {f.Verdict.Kind}: {Shorten(f.Verdict.Detail)}"))
            + "\n\nThe first, as generated:\n" + first
            + "\n\nThe first failure of each kind in full:\n"
            + string.Join("\n", failures.GroupBy(f => f.Verdict.Kind).Select(g => $"== {g.Key}: {g.First().Verdict.Detail}\n{g.First().Program}"));
    }

    private static string Shorten(string s)
    {
        s = s.Split('\n')[0];
        return s.Length > 200 ? s[..200] + "..." : s;
    }
}
