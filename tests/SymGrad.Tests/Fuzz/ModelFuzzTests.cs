using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Generator;
using Xunit.Abstractions;

using static SymGrad.Tests.Fuzz.FuzzBatch;

namespace SymGrad.Tests.Fuzz;

/// <summary>
/// The random programs of <see cref="RandomPrograms"/> as model classes: <c>v</c> and <c>w</c> become fields of a
/// class <c>M{i}</c>, and <c>F</c> an instance method reading them. Each must compile with no SG diagnostic and no
/// warning; at every point the model's gradient (x and y by ref, v and w in the fields of a second instance, first
/// filled with garbage) equals the static program's gradient to the bit, its value the method's, and its tape twin
/// (fields first, as Value leaves) the static tape twin's gradient. The static program is the reference: the other
/// fuzz tests hold it to the tape and finite differences. <c>SYMGRAD_FUZZ_MODEL=N</c> runs more programs.
/// </summary>
public class ModelFuzzTests(ITestOutputHelper output)
{
    private const int BatchSize = 50;

    [Fact]
    public void Random_programs_as_model_classes_match_the_static_programs_to_the_bit()
    {
        int programs = DifferentialTests.EnvInt("SYMGRAD_FUZZ_MODEL", 200);
        Program[] drawn = FixedSample.Draw(RandomPrograms.Programs, FixedSample.Seed(20261208), programs);
        int points = 0, partials = 0, nonZero = 0;
        var failures = new List<string>();
        for (int start = 0; start < drawn.Length; start += BatchSize)
        {
            Program[] batch = drawn.Skip(start).Take(BatchSize).ToArray();
            string[] sources = batch.Select((p, i) => p.Source(i) + ProgramChecker.Glue(i))
                .Concat(batch.Select((p, i) => ModelSource(p, i)))
                .Append(SampleSources.ImplicitUsings).Append(ProgramChecker.Shared).ToArray();
            using LoadedAssembly loaded = FuzzBatch.Load(sources, ModelSource(batch[0], 0));
            for (int i = 0; i < batch.Length; i++)
            {
                Type glue = loaded.Assembly.GetType("Fuzz.G" + i)!;
                var model = new ModelCalls(loaded.Assembly.GetType("Fuzz.M" + i)!);
                foreach (Point point in batch[i].Points)
                {
                    points++;
                    double[] z = [.. point.Inputs];
                    int[] k = [];
                    string where = $"program {start + i} at ({string.Join(", ", z)}; s = {point.S}, n = {point.N})\n{ModelSource(batch[i], i)}";
                    double[] reference = new double[9], g = new double[9], tapeReference = new double[9], tape = new double[9];
                    object?[] staticArgs = [z, point.S, point.N, k, reference];
                    double expected, got;
                    try
                    {
                        expected = (double)glue.GetMethod("Gradient")!.Invoke(null, staticArgs)!;
                    }
                    catch (TargetInvocationException)
                    {
                        // The static program throws here (an index out of range): the model must throw too.
                        bool threw = Throws(() => model.Gradient(z, point.S, point.N, g));
                        if (!threw) failures.Add($"{where}: the static gradient throws, the model's does not");
                        continue;
                    }
                    got = model.Gradient(z, point.S, point.N, g);
                    if (!SameBits(expected, got)) failures.Add($"{where}: the model's value {got:R} is not the static program's {expected:R}");
                    double value = model.Value(z, point.S, point.N);
                    if (!SameBits(value, got)) failures.Add($"{where}: the model's gradient returns {got:R}, the model's method {value:R}");
                    for (int q = 0; q < 9; q++)
                    {
                        partials++;
                        if (reference[q] != 0) nonZero++;
                        if (!SameBits(reference[q], g[q]))
                        {
                            failures.Add($"{where}: partial {q} is {g[q]:R} in the model, {reference[q]:R} in the static program");
                            break;
                        }
                    }
                    glue.GetMethod("Tape")!.Invoke(null, [z, point.S, point.N, k, tapeReference, false]);
                    model.Tape(z, point.S, point.N, tape);
                    for (int q = 0; q < 9; q++)
                    {
                        if (!SameBits(tapeReference[q], tape[q]))
                        {
                            failures.Add($"{where}: the model's tape twin gives partial {q} = {tape[q]:R}, the static one {tapeReference[q]:R}");
                            break;
                        }
                    }
                }
            }
        }
        string summary = $"{drawn.Length} model classes, {points} points, {partials} partials compared to the bit ({nonZero} nonzero)";
        output.WriteLine(summary);
        FixedSample.Record(nameof(Random_programs_as_model_classes_match_the_static_programs_to_the_bit), summary);
        Assert.True(failures.Count == 0, failures.Count + " failures; first:\n" + string.Join("\n\n", failures.Take(3)));
        Assert.True(nonZero * 4 > partials, summary);
    }



    /// <summary>The program as a model: its v and w fields (v an array whatever the program's type), F an instance method.</summary>
    internal static string ModelSource(Program p, int index)
    {
        string source = p.Source(index);
        // The static class's helper H and F, moved into a sealed partial class with the inputs as fields.
        string members = FuzzBatch.Members(source, index)
            .Replace("[Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.HessianVector | DerivativeModes.Hessian)]", "[Differentiable]")
            .Replace($"public static double F(double x, double y, {p.VType} v, double[,] w, [NoDerivative] double s, int n)", "public double F(double x, double y, [NoDerivative] double s, int n)");
        var s = new StringBuilder();
        s.Append("#pragma warning disable CS0162, CS0219, CS1717, CS1718\nusing SymGrad;\n\nnamespace Fuzz;\n\n");
        s.Append("public sealed partial class M").Append(index).Append("\n{\n");
        s.Append("    public double[] v = [];\n    public double[,] w = new double[0, 0];\n");
        s.Append(members);
        s.Append("\n}\n");
        return s.ToString();
    }

    /// <summary>
    /// Calls of a model's generated methods by reflection, by parameter name: the gradient takes a <c>gradient</c>
    /// instance only when the method reads a field it differentiates, and the tape twin takes the fields it reads.
    /// </summary>
    private sealed class ModelCalls(Type type)
    {
        private object Model(double[] z, double vFill, double wFill, bool fromZ)
        {
            object m = Activator.CreateInstance(type)!;
            type.GetField("v")!.SetValue(m, fromZ ? new[] { z[2], z[3], z[4] } : new[] { vFill, vFill, vFill });
            type.GetField("w")!.SetValue(m, fromZ ? new[,] { { z[5], z[6] }, { z[7], z[8] } } : new[,] { { wFill, wFill }, { wFill, wFill } });
            return m;
        }

        public double Value(double[] z, double s, int n) => (double)type.GetMethod("F")!.Invoke(Model(z, 0, 0, true), [z[0], z[1], s, n])!;

        public double Gradient(double[] z, double s, int n, double[] g)
        {
            MethodInfo method = type.GetMethod("FGradient")!;
            object gradient = Model(z, 1e3, 1e3, false); // garbage: the gradient must be written, not added to
            object?[] args = method.GetParameters().Select(p => p.Name switch
            {
                "x" => (object)z[0], "y" => z[1], "s" => s, "n" => n, "dX" => 1e3, "dY" => -1e3, "gradient" => gradient,
                _ => throw new InvalidOperationException("unexpected parameter " + p.Name),
            }).ToArray();
            double r = (double)method.Invoke(Model(z, 0, 0, true), args)!;
            var names = method.GetParameters().Select(p => p.Name).ToList();
            g[0] = (double)args[names.IndexOf("dX")]!;
            g[1] = (double)args[names.IndexOf("dY")]!;
            // The fields the method reads are the tape twin's first parameters; one it does not read has derivative 0,
            // and its field of the gradient instance is left as it was.
            var read = type.GetMethod("FTape")!.GetParameters().Select(p => p.Name).ToHashSet();
            double[] v = (double[])type.GetField("v")!.GetValue(gradient)!;
            double[,] w = (double[,])type.GetField("w")!.GetValue(gradient)!;
            for (int k = 0; k < 3; k++) g[2 + k] = read.Contains("v") ? v[k] : 0;
            for (int k = 0; k < 4; k++) g[5 + k] = read.Contains("w") ? w[k / 2, k % 2] : 0;
            return r;
        }

        public void Tape(double[] z, double s, int n, double[] g)
        {
            MethodInfo method = type.GetMethod("FTape")!;
            var x = new Value(z[0]);
            var y = new Value(z[1]);
            Value[] v = [new Value(z[2]), new Value(z[3]), new Value(z[4])];
            var w = new Value[,] { { new Value(z[5]), new Value(z[6]) }, { new Value(z[7]), new Value(z[8]) } };
            object?[] args = method.GetParameters().Select(p => p.Name switch
            {
                "x" => (object)x, "y" => y, "v" => v, "w" => w, "s" => s, "n" => n,
                _ => throw new InvalidOperationException("unexpected parameter " + p.Name),
            }).ToArray();
            var r = (Value)method.Invoke(Model(z, 0, 0, true), args)!;
            r.Backward();
            g[0] = x.Grad; g[1] = y.Grad; g[2] = v[0].Grad; g[3] = v[1].Grad; g[4] = v[2].Grad;
            g[5] = w[0, 0].Grad; g[6] = w[0, 1].Grad; g[7] = w[1, 0].Grad; g[8] = w[1, 1].Grad;
        }
    }
}
