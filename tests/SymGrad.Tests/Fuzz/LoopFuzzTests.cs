using CsCheck;
using Xunit.Abstractions;

namespace SymGrad.Tests.Fuzz;

/// <summary>
/// The loop fuzz: random programs with runtime loops (<see cref="LoopPrograms"/>), checked as
/// <see cref="DifferentialTests"/> checks its programs (value bit for bit, tape twin, finite differences, JVP, H·v,
/// Hessian), each at 3 points whose arrays have their own lengths, zero included. The same programs every run (a
/// fixed seed, one per batch: <see cref="FixedSample"/>); count and checksum go to TestResults/fuzz-manifest.txt.
/// <c>SYMGRAD_LOOP_FUZZ_PROGRAMS=N</c> runs a campaign, <c>SYMGRAD_LOOP_FUZZ_SEED</c> picks another seed, and
/// <c>SYMGRAD_LOOP_FUZZ_RETURN=0</c>, <c>_FOREACH_INT=0</c> and <c>_NESTED_BREAK=0</c> leave out return inside loops,
/// foreach over ints and break in nested loops (to tell a failure's cause).
/// </summary>
public class LoopFuzzTests(ITestOutputHelper output)
{
    private const int BatchSize = 50;

    /// <summary>Programs in a CI run: about a minute on 2 busy cores.</summary>
    private const int CiPrograms = 500;

    private const ulong CiSeed = 20261202;

    private static Gen<LoopProgram[]> Batches => LoopPrograms.Programs.Array[BatchSize];

    [Fact]
    public void Random_loop_programs_match_the_tape_and_finite_differences()
    {
        int programs = DifferentialTests.EnvInt("SYMGRAD_LOOP_FUZZ_PROGRAMS", CiPrograms);
        int batches = (programs + BatchSize - 1) / BatchSize;
        ulong seed = FixedSample.Seed(CiSeed, "SYMGRAD_LOOP_FUZZ_SEED");
        output.WriteLine($"Seed {seed}, {batches * BatchSize} programs, return inside loops {(LoopPrograms.ReturnInLoops ? "on" : "off")}, " +
            $"foreach over ints {(LoopPrograms.ForeachInt ? "on" : "off")}, break in nested loops {(LoopPrograms.NestedBreak ? "on" : "off")}.");
        (Counts counts, var failures) = DifferentialTests.CheckDrawn(output, nameof(Random_loop_programs_match_the_tape_and_finite_differences),
            Batches, seed, batches, BatchSize);

        if (failures.Count > 0) Assert.Fail(DifferentialTests.Report(failures));
        Assert.Equal(batches * BatchSize, counts.Programs);
        // The skips must stay rare, or the comparisons would be vacuous.
        Assert.True(counts.NonFinitePoints * 20 < counts.Points, counts.ToString());
        Assert.True(counts.NonFiniteIntermediates * 20 < counts.Points, counts.ToString());
        Assert.True(counts.UnstableDifferences * 10 < counts.Coordinates, counts.ToString());
        // Nonzero derivatives are fewer than in DifferentialTests (about 1 in 6): a point's v and w have up to 5 and
        // 3 × 3 elements, and a program's loops read only some (often none: zero trips); 0 = 0 is still compared.
        Assert.True(counts.NonZero * 8 > counts.Coordinates, counts.ToString());
        Assert.True(counts.HvpNonZero * 10 > counts.HvpEntries, counts.ToString());
        // Every other program's vector wrapper: its Jacobian rows, at 2 rows and at more rows than inputs, at each point.
        Assert.True(counts.JacobianRows > counts.Points, counts.ToString());
    }

    /// <summary>
    /// The CI sample draws every loop form the fuzz is for, and zero-trip inputs: a change to the generator that
    /// lost one would otherwise go unnoticed.
    /// </summary>
    [Fact]
    public void The_sample_draws_every_loop_form_and_zero_lengths()
    {
        LoopProgram[] drawn = FixedSample.Draw(Batches, CiSeed, CiPrograms / BatchSize).SelectMany(b => b).ToArray();
        string all = string.Concat(drawn.Select(p => p.Source(0)));
        string[] forms =
        [
            "< v.Length;", "< n;", "< w.GetLength(0);", "< w.GetLength(1);", "< idx.Length;", "< n - 1;", "--)", "+= 2)", "= 1; i",
            "while (", "do\n", "foreach (double", "+= 0.25)", "+= 0.75)",
            "break;", "continue;", "stackalloc double[", "= new double[n]", "new double[w.GetLength(0), ", "[idx[", " - 1]", " + 1]",
            " += ", "* 0.5 +", "*= 0.5 + SymMath.Sigmoid(", "if (Math.Tanh(", "ReadOnlySpan<double> v",
        ];
        Assert.All(forms, f => Assert.Contains(f, all));
        if (LoopPrograms.ForeachInt) Assert.Contains("foreach (int", all);
        // A do loop whose body ends in a lone break or continue under an if (the shape of bug 3).
        Assert.Matches(@"(continue|break);\n\s*\}\n\s*\}\n\s*while \(", all);
        // Triangular nests (an inner bound that is an outer index) and depth 3.
        Assert.Matches(@"for \(int i\d+ = 0; i\d+ < i\d+; i\d+\+\+\)", all);
        Assert.Matches(@"for \(int i\d+ = i\d+ \+ 1;", all);
        Assert.Contains(drawn, p => p.Source(0).Split('\n').Any(l => l.StartsWith(new string(' ', 20) + "for (", StringComparison.Ordinal)));
        Point[] points = drawn.SelectMany(p => p.Points).ToArray();
        Assert.Contains(points, p => p.Ints[0] == 0);
        Assert.Contains(points, p => p.N == 0);
        Assert.Contains(points, p => p.Ints[1] == 0 || p.Ints[2] == 0);
        // return inside loops only behind its switch (the method's own last line aside).
        int returns = drawn.Count(p => p.Source(0).Split("return ").Length > 2);
        if (LoopPrograms.ReturnInLoops) Assert.NotEqual(0, returns);
        else Assert.Equal(0, returns);
    }
}
