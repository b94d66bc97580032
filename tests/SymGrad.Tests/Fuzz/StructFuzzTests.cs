using System.Text;
using System.Text.RegularExpressions;
using SymGrad.Tests.Generator;
using Xunit.Abstractions;

using static SymGrad.Tests.Fuzz.FuzzBatch;

namespace SymGrad.Tests.Fuzz;

/// <summary>
/// The random programs of <see cref="RandomPrograms"/> rewritten onto structs (issue 14, item 3): <c>x</c> and
/// <c>y</c> become one parameter of a record struct, <c>XY xy</c>, deconstructed at the top (<c>var (x, y) = xy;</c>),
/// and every local <c>aK</c> becomes the field <c>st.aK</c> of a struct local <c>st</c>, so that the struct's numbers
/// flow through every branch, switch, loop (carried), early return, side call and inlined call of the program.
/// Each must compile with no SG diagnostic and no warning; at every point the gradient (<c>ref XY dXy</c>, first
/// filled with garbage) equals the static program's gradient to the bit, its value the method's, and its tape twin
/// (the struct's numbers as Value leaves) the static tape twin's. The static program is the reference: the other fuzz
/// tests hold it to the tape and finite differences. <c>SYMGRAD_FUZZ_STRUCT=N</c> runs more programs.
/// </summary>
public partial class StructFuzzTests(ITestOutputHelper output)
{
    private const int BatchSize = 50;

    [Fact]
    public void Random_programs_on_structs_match_the_static_programs_to_the_bit()
    {
        int programs = DifferentialTests.EnvInt("SYMGRAD_FUZZ_STRUCT", 200);
        Program[] drawn = FixedSample.Draw(RandomPrograms.Programs, FixedSample.Seed(20261209), programs);
        int points = 0, partials = 0, nonZero = 0;
        var failures = new List<string>();
        for (int start = 0; start < drawn.Length; start += BatchSize)
        {
            Program[] batch = drawn.Skip(start).Take(BatchSize).ToArray();
            string[] sources = batch.Select((p, i) => p.Source(i) + ProgramChecker.Glue(i))
                .Concat(batch.Select((p, i) => StructSource(p, i)))
                .Append(SampleSources.ImplicitUsings).Append(ProgramChecker.Shared).Append(Types).ToArray();
            using LoadedAssembly loaded = FuzzBatch.Load(sources, StructSource(batch[0], 0));
            for (int i = 0; i < batch.Length; i++)
            {
                Type glue = loaded.Assembly.GetType("Fuzz.G" + i)!, structGlue = loaded.Assembly.GetType("Fuzz.SG" + i)!;
                foreach (Point point in batch[i].Points)
                {
                    points++;
                    double[] z = [.. point.Inputs];
                    int[] k = [];
                    string where = $"program {start + i} at ({string.Join(", ", z)}; s = {point.S}, n = {point.N})\n{StructSource(batch[i], i)}";
                    double[] reference = new double[9], g = new double[9], tapeReference = new double[9], tape = new double[9];
                    double expected;
                    try
                    {
                        expected = (double)glue.GetMethod("Gradient")!.Invoke(null, [z, point.S, point.N, k, reference])!;
                    }
                    catch (System.Reflection.TargetInvocationException)
                    {
                        // The static program throws here (an index out of range): the struct one must throw too.
                        bool threw = Throws(() => structGlue.GetMethod("Gradient")!.Invoke(null, [z, point.S, point.N, g]));
                        if (!threw) failures.Add($"{where}: the static gradient throws, the struct one does not");
                        continue;
                    }
                    double got = (double)structGlue.GetMethod("Gradient")!.Invoke(null, [z, point.S, point.N, g])!;
                    if (!SameBits(expected, got)) failures.Add($"{where}: the struct gradient's value {got:R} is not the static program's {expected:R}");
                    double value = (double)structGlue.GetMethod("Value")!.Invoke(null, [z, point.S, point.N])!;
                    if (!SameBits(value, got)) failures.Add($"{where}: the struct gradient returns {got:R}, the struct method {value:R}");
                    for (int q = 0; q < 9; q++)
                    {
                        partials++;
                        if (reference[q] != 0) nonZero++;
                        if (!SameBits(reference[q], g[q]))
                        {
                            failures.Add($"{where}: partial {q} is {g[q]:R} on structs, {reference[q]:R} in the static program");
                            break;
                        }
                    }
                    glue.GetMethod("Tape")!.Invoke(null, [z, point.S, point.N, k, tapeReference, false]);
                    structGlue.GetMethod("Tape")!.Invoke(null, [z, point.S, point.N, tape]);
                    for (int q = 0; q < 9; q++)
                    {
                        if (!SameBits(tapeReference[q], tape[q]))
                        {
                            failures.Add($"{where}: the struct tape twin gives partial {q} = {tape[q]:R}, the static one {tapeReference[q]:R}");
                            break;
                        }
                    }
                }
            }
        }
        string summary = $"{drawn.Length} programs on structs, {points} points, {partials} partials compared to the bit ({nonZero} nonzero)";
        output.WriteLine(summary);
        FixedSample.Record(nameof(Random_programs_on_structs_match_the_static_programs_to_the_bit), summary);
        Assert.True(failures.Count == 0, failures.Count + " failures; first:\n" + string.Join("\n\n", failures.Take(3)));
        Assert.True(nonZero * 5 > partials, summary); // not a vacuous comparison: a fifth or more of the partials are nonzero (27% at the CI's 200)
    }

    private const string Types = """
        namespace Fuzz;

        /// <summary>The two scalar inputs of a random program, as one parameter.</summary>
        public readonly record struct XY(double X, double Y);
        """;



    [GeneratedRegex(@"\ba(\d+)\b")]
    private static partial Regex Local();

    /// <summary>The program on structs: class <c>Q{i}</c> with its helper and <c>F(XY xy, ...)</c>, a struct <c>S{i}</c> of its locals, and glue <c>SG{i}</c>.</summary>
    internal static string StructSource(Program p, int index)
    {
        string source = p.Source(index);
        string members = FuzzBatch.Members(source, index)
            .Replace("[Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.HessianVector | DerivativeModes.Hessian)]", "[Differentiable]");
        string signature = $"public static double F(double x, double y, {p.VType} v, double[,] w, [NoDerivative] double s, int n)";
        int f = members.IndexOf(signature, StringComparison.Ordinal);
        int fBody = members.IndexOf('{', f) + 1;
        string before = members[..f], fText = members[fBody..];
        // Every local aK of F is the field st.aK: declarations become assignments, declarations without a value go.
        var ids = new SortedSet<int>();
        fText = Local().Replace(fText, m =>
        {
            ids.Add(int.Parse(m.Groups[1].Value));
            return "st.a" + m.Groups[1].Value;
        });
        fText = Regex.Replace(fText, @"(?m)^(\s*)double st\.a(\d+);\s*$\n?", "");
        fText = Regex.Replace(fText, @"\b(?:double|var) (st\.a\d+) = ", "$1 = ");
        var s = new StringBuilder();
        s.Append("#pragma warning disable CS0162, CS0219, CS1717, CS1718\nusing SymGrad;\n\nnamespace Fuzz;\n\n");
        s.Append("public struct S").Append(index).Append("\n{\n");
        s.Append(ids.Count == 0 ? "    public double unused;\n" : "    public double " + string.Join(", ", ids.Select(i => "a" + i)) + ";\n");
        s.Append("}\n\n");
        s.Append("public static partial class Q").Append(index).Append("\n{\n");
        s.Append(before);
        s.Append($"public static double F(XY xy, {p.VType} v, double[,] w, [NoDerivative] double s, int n)\n    {{\n");
        s.Append("        var (x, y) = xy;\n");
        s.Append("        var st = new S").Append(index).Append("();\n");
        s.Append(fText);
        s.Append("\n}\n");
        s.Append($$"""

            public static class SG{{index}}
            {
                private static double[] V(double[] z) => [z[2], z[3], z[4]];

                private static double[,] W(double[] z) => new double[,] { { z[5], z[6] }, { z[7], z[8] } };

                public static double Value(double[] z, double s, int n) => Q{{index}}.F(new XY(z[0], z[1]), V(z), W(z), s, n);

                public static double Gradient(double[] z, double s, int n, double[] g)
                {
                    XY dXy = new(1e3, -1e3); // garbage: the gradient struct must be written, not added to
                    double[] dV = [1e3, 1e3, 1e3];
                    var dW = new double[,] { { 1e3, 1e3 }, { 1e3, 1e3 } };
                    double r = Q{{index}}.FGradient(new XY(z[0], z[1]), V(z), W(z), s, n, ref dXy, dV, dW);
                    g[0] = dXy.X; g[1] = dXy.Y; g[2] = dV[0]; g[3] = dV[1]; g[4] = dV[2];
                    g[5] = dW[0, 0]; g[6] = dW[0, 1]; g[7] = dW[1, 0]; g[8] = dW[1, 1];
                    return r;
                }

                public static void Tape(double[] z, double s, int n, double[] g)
                {
                    var x = new Value(z[0]);
                    var y = new Value(z[1]);
                    Value[] v = [new Value(z[2]), new Value(z[3]), new Value(z[4])];
                    var w = new Value[,] { { new Value(z[5]), new Value(z[6]) }, { new Value(z[7]), new Value(z[8]) } };
                    Value r = Q{{index}}.FTape(x, y, v, w, s, n);
                    r.Backward();
                    g[0] = x.Grad; g[1] = y.Grad; g[2] = v[0].Grad; g[3] = v[1].Grad; g[4] = v[2].Grad;
                    g[5] = w[0, 0].Grad; g[6] = w[0, 1].Grad; g[7] = w[1, 0].Grad; g[8] = w[1, 1].Grad;
                }
            }

            """);
        return s.ToString();
    }
}
