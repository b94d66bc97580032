using System.Collections.Immutable;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using SymGrad.Tests.Generator;

namespace SymGrad.Tests.Fuzz;

/// <summary>What went wrong with a program, if anything. Shrinking keeps a candidate only if its kind is the same.</summary>
internal enum FailureKind { None, GeneratorException, SymGradDiagnostic, UserCodeError, GeneratedCodeError, ValueMismatch, TapeMismatch, FiniteDifferenceMismatch, JvpMismatch, HvpMismatch }

internal sealed record Verdict(FailureKind Kind, string Detail)
{
    public static readonly Verdict Pass = new(FailureKind.None, "");
}

/// <summary>How many comparisons a batch made, and how many points or coordinates it had to skip (and why).</summary>
internal sealed class Counts
{
    public int Programs, Points, NonFinitePoints, NonFiniteIntermediates, Coordinates, UnstableDifferences, NonZero, Split, Jvps, HvpEntries, HvpUnstable, HvpNonZero, Hessians, JacobianRows;

    public void Add(Counts o)
    {
        Programs += o.Programs; Points += o.Points; NonFinitePoints += o.NonFinitePoints; NonFiniteIntermediates += o.NonFiniteIntermediates; Jvps += o.Jvps;
        HvpEntries += o.HvpEntries; HvpUnstable += o.HvpUnstable; HvpNonZero += o.HvpNonZero; Hessians += o.Hessians; JacobianRows += o.JacobianRows;
        Coordinates += o.Coordinates; UnstableDifferences += o.UnstableDifferences; NonZero += o.NonZero; Split += o.Split;
    }

    public override string ToString() =>
        $"{Programs} programs ({Split} with gradients split into parts), {Points} points ({NonFinitePoints} skipped: value not finite; " +
        $"{NonFiniteIntermediates} checked against the tape only: an intermediate value not finite), " +
        $"{Coordinates} partial derivatives vs finite differences ({NonZero} of them nonzero; {UnstableDifferences} skipped: differences unstable, near a kink or branch), " +
        $"{Jvps} forward-mode JVPs = gradient · tangent, {HvpEntries} entries of H·t vs differences of the gradient ({HvpNonZero} nonzero; {HvpUnstable} skipped: unstable), " +
        $"{Hessians} dense Hessians = rows of H·e_k, symmetric, {JacobianRows} Jacobian rows of vector outputs = VJPs and the gradient's chain rule";
}

/// <summary>
/// A program <see cref="ProgramChecker"/> can check: its source as class <c>P{index}</c>, the glue class <c>G{index}</c>
/// that calls its F, FGradient, FJvp, FHvp, FHessian and FTape on a point's flat inputs (<c>z</c>, <c>s</c>, <c>n</c>, and
/// <c>k</c>, the point's ints), the points, and smaller programs for shrinking.
/// </summary>
internal interface ICheckedProgram<TSelf> where TSelf : ICheckedProgram<TSelf>
{
    string Source(int index);

    string Glue(int index);

    ImmutableArray<Point> Points { get; }

    int Size { get; }

    IEnumerable<TSelf> Shrinks();
}

/// <summary>
/// Compiles many random programs in one in-memory compilation with the generator (each program in its own file
/// with a small glue class that calls <c>F</c>, <c>FGradient</c> and <c>FTape</c> on flat arrays), then checks each:
/// no generator exception, no SG diagnostic, no compiler error or warning; at every point, the generated gradient's
/// returned value is the method's own bit for bit, the tape's value and gradient equal the generated ones to 1e-12
/// relative, and each partial derivative equals central finite differences to 1e-4 where those are stable.
/// </summary>
internal static class ProgramChecker
{
    public const double TapeTolerance = 1e-12, FdTolerance = 1e-4, H = 1e-6, SmallH = 2.5e-7, StableTolerance = 1e-5, OneSidedTolerance = 1e-3;

    /// <summary>The glue of <see cref="Program"/>'s fixed signature (its methods ignore <c>k</c>, the point's ints).</summary>
    internal static string Glue(int i) => $$"""

        public static class G{{i}}
        {
            public static double Value(double[] z, double s, int n, int[] k) => P{{i}}.F(z[0], z[1], new double[] { z[2], z[3], z[4] }, new double[,] { { z[5], z[6] }, { z[7], z[8] } }, s, n);

            public static double Gradient(double[] z, double s, int n, int[] k, double[] g)
            {
                // Garbage in the adjoints: the gradient must be written, not added to them.
                double dX = 1e3, dY = -1e3;
                double[] dV = [1e3, 1e3, 1e3];
                var dW = new double[,] { { 1e3, 1e3 }, { 1e3, 1e3 } };
                double r = P{{i}}.FGradient(z[0], z[1], new double[] { z[2], z[3], z[4] }, new double[,] { { z[5], z[6] }, { z[7], z[8] } }, s, n,
                    ref dX, ref dY, dV, dW);
                g[0] = dX; g[1] = dY; g[2] = dV[0]; g[3] = dV[1]; g[4] = dV[2];
                g[5] = dW[0, 0]; g[6] = dW[0, 1]; g[7] = dW[1, 0]; g[8] = dW[1, 1];
                return r;
            }

            public static double Jvp(double[] z, double s, int n, int[] k, double[] u, out double derivative) =>
                P{{i}}.FJvp(z[0], z[1], new double[] { z[2], z[3], z[4] }, new double[,] { { z[5], z[6] }, { z[7], z[8] } }, s, n,
                    u[0], u[1], new double[] { u[2], u[3], u[4] }, new double[,] { { u[5], u[6] }, { u[7], u[8] } }, out derivative);

            public static double Hvp(double[] z, double s, int n, int[] k, double[] u, double[] g, double[] hv)
            {
                double dX = 1e3, dY = -1e3, hX = 1e3, hY = -1e3;
                double[] dV = [1e3, 1e3, 1e3], hV = [1e3, 1e3, 1e3];
                var dW = new double[,] { { 1e3, 1e3 }, { 1e3, 1e3 } };
                var hW = new double[,] { { 1e3, 1e3 }, { 1e3, 1e3 } };
                double r = P{{i}}.FHvp(z[0], z[1], new double[] { z[2], z[3], z[4] }, new double[,] { { z[5], z[6] }, { z[7], z[8] } }, s, n,
                    u[0], u[1], new double[] { u[2], u[3], u[4] }, new double[,] { { u[5], u[6] }, { u[7], u[8] } },
                    ref dX, ref dY, dV, dW, ref hX, ref hY, hV, hW);
                g[0] = dX; g[1] = dY; g[2] = dV[0]; g[3] = dV[1]; g[4] = dV[2]; g[5] = dW[0, 0]; g[6] = dW[0, 1]; g[7] = dW[1, 0]; g[8] = dW[1, 1];
                hv[0] = hX; hv[1] = hY; hv[2] = hV[0]; hv[3] = hV[1]; hv[4] = hV[2]; hv[5] = hW[0, 0]; hv[6] = hW[0, 1]; hv[7] = hW[1, 0]; hv[8] = hW[1, 1];
                return r;
            }

            public static double Hessian(double[] z, double s, int n, int[] k, double[,] h)
            {
                double dX = 1e3, dY = -1e3;
                double[] dV = [1e3, 1e3, 1e3];
                var dW = new double[,] { { 1e3, 1e3 }, { 1e3, 1e3 } };
                return P{{i}}.FHessian(z[0], z[1], new double[] { z[2], z[3], z[4] }, new double[,] { { z[5], z[6] }, { z[7], z[8] } }, s, n,
                    ref dX, ref dY, dV, dW, h);
            }

            public static double Tape(double[] z, double s, int n, int[] k, double[] g, out bool finite)
            {
                var x = new Value(z[0]);
                var y = new Value(z[1]);
                Value[] v = [new Value(z[2]), new Value(z[3]), new Value(z[4])];
                var w = new Value[,] { { new Value(z[5]), new Value(z[6]) }, { new Value(z[7]), new Value(z[8]) } };
                Value r = P{{i}}.FTape(x, y, v, w, s, n);
                r.Backward();
                g[0] = x.Grad; g[1] = y.Grad; g[2] = v[0].Grad; g[3] = v[1].Grad; g[4] = v[2].Grad;
                g[5] = w[0, 0].Grad; g[6] = w[0, 1].Grad; g[7] = w[1, 0].Grad; g[8] = w[1, 1].Grad;
                finite = Shared.AllFinite(r);
                return r.Data;
            }
        }

        """;

    /// <summary>A [Differentiable] method of another class that programs call (calls across classes, inlined).</summary>
    internal const string Shared = """
        using SymGrad;

        namespace Fuzz;

        public static partial class Shared
        {
            [Differentiable]
            public static double K(double p)
            {
                double acc = 0.5 * p;
                for (int i = 1; i <= 2; i++) acc += Math.Sin(i * p) / i;
                if (acc > 0) return acc * Math.Exp(-p * p);
                return SymMath.Softplus(acc) - p;
            }

            /// <summary>Whether every value on the tape is finite: the program's active intermediates, as the tape twin computed them.</summary>
            public static bool AllFinite(Value result)
            {
                var seen = new HashSet<Value>(ReferenceEqualityComparer.Instance);
                var stack = new Stack<Value>([result]);
                while (stack.TryPop(out Value? v))
                {
                    if (!seen.Add(v)) continue;
                    if (!double.IsFinite(v.Data)) return false;
                    foreach (Value c in v.Children) stack.Push(c);
                }
                return true;
            }

            /// <summary>A call programs make for its side effect (SideCallTests checks such calls are made as the method makes them).</summary>
            public static void Note(string text) { }

            /// <summary>An array or span argument: a parameter's elements or a local array's, bound by name when inlined.</summary>
            [Differentiable]
            public static double Dot3(ReadOnlySpan<double> a, double p)
            {
                double acc = 0;
                for (int i = 0; i < 3; i++) acc += a[i] * Math.Sin(p + i);
                return acc;
            }
        }
        """;

    /// <summary>
    /// A vector output made of program <paramref name="i"/>'s F (inlined): r[0] = F, then r[q] = r[q - 1] + (q / 2) r[0]²
    /// for the rest of r, whose length the caller picks (few rows: the Jacobian by reverse sweeps; many: by forward
    /// sweeps). So row q of its Jacobian is (1 + F q (q + 1) / 2) ∇F, which <see cref="CheckJacobian"/> holds it to.
    /// </summary>
    internal static string VectorWrapper(int i, string parameters, string arguments) => $$"""

        public static partial class V{{i}}
        {
            [Differentiable(Modes = DerivativeModes.Jacobian)]
            public static void F({{parameters}}, [Output] Span<double> r)
            {
                r[0] = P{{i}}.F({{arguments}});
                for (int q = 1; q < r.Length; q++) r[q] = r[q - 1] + 0.5 * q * (r[0] * r[0]);
            }
        }

        """;

    private delegate void JacobianRun(double[] z, double s, int n, int[] k, double[] r, double[,] j);

    private delegate void VjpRun(double[] z, double s, int n, int[] k, double[] r, double[] seed, double[] g);

    /// <summary>
    /// The vector wrapper's Jacobian, with 2 rows (reverse sweeps) and with one more row than inputs (forward sweeps):
    /// r[0] is F bit for bit; each row equals the VJP with that row's unit seed (bit for bit when taken by reverse
    /// sweeps), and (1 + F q (q + 1) / 2) ∇F from FGradient to 1e-12; a VJP with a mixed seed is the seed times the rows.
    /// At a point with an intermediate that is not finite, only the 2-row Jacobian (reverse sweeps).
    /// </summary>
    private static Verdict? CheckJacobian(JacobianRun jacobian, VjpRun vjp, Point p, double f, double[] gradient, bool intermediatesFinite, Counts counts)
    {
        int n = gradient.Length;
        // An intermediate not finite (a0 = -Infinity): forward mode's 0 * Infinity = NaN where reverse mode never
        // reaches the input, a meaningless comparison (as finite differences are there): only the rows, taken by
        // the same reverse sweeps as the VJPs, are compared.
        foreach (int m in intermediatesFinite ? new[] { 2, n + 1 } : new[] { 2 })
        {
            double[] r = new double[m];
            var j = new double[m, n];
            jacobian(p.Z, p.S, p.N, p.K, r, j);
            if (!r[0].Equals(f)) return new(FailureKind.JvpMismatch, $"at {p}: FJacobian's r[0] = {r[0]:R}, F {f:R}");
            if (r.Any(x => !double.IsFinite(x))) continue; // r[0]² overflowed: nothing left to compare
            bool byRows = m <= n;
            double[] seed = new double[m], g = new double[n];
            for (int q = 0; q < m; q++)
            {
                seed[q] = 1;
                vjp(p.Z, p.S, p.N, p.K, new double[m], seed, g);
                seed[q] = 0;
                double factor = 1 + f * (q * (q + 1) / 2.0);
                for (int k = 0; k < n; k++)
                {
                    bool same = byRows ? g[k].Equals(j[q, k]) : Close(g[k], j[q, k], TapeTolerance);
                    if (!same) return new(FailureKind.JvpMismatch, $"at {p}: FJacobian[{q}, {p.Labels[k]}] = {j[q, k]:R} ({m} rows), the VJP's {g[k]:R}");
                    double expected = factor * gradient[k];
                    if (double.IsFinite(expected) && !Close(j[q, k], expected, TapeTolerance * Math.Max(1, Math.Abs(factor))))
                    {
                        return new(FailureKind.JvpMismatch, $"at {p}: FJacobian[{q}, {p.Labels[k]}] = {j[q, k]:R} ({m} rows), (1 + F q(q+1)/2) ∂F = {expected:R}");
                    }
                }
                counts.JacobianRows++;
            }
            // A mixed seed: the VJP is linear in it.
            double[] mixed = Tangent(m), combined = new double[n];
            vjp(p.Z, p.S, p.N, p.K, new double[m], mixed, combined);
            for (int k = 0; k < n; k++)
            {
                double sum = 0, scale = 0;
                for (int q = 0; q < m; q++)
                {
                    sum += mixed[q] * j[q, k];
                    scale += Math.Abs(mixed[q] * j[q, k]);
                }
                if (Math.Abs(combined[k] - sum) > TapeTolerance * Math.Max(1, scale))
                {
                    return new(FailureKind.JvpMismatch, $"at {p}: the VJP with seed (0.7, -1.3, ...) gives d/d{p.Labels[k]} = {combined[k]:R}, the seed times the Jacobian {sum:R}");
                }
            }
        }
        return null;
    }

    private static readonly Regex GeneratedType = new(@"[PV](\d+)\b", RegexOptions.Compiled);
    private static readonly Regex SourceFile = new(@"^Source(\d+)\.cs$", RegexOptions.Compiled);

    /// <summary>Checks every program; a batch-wide failure (a generator exception) is narrowed down one program at a time.</summary>
    public static Verdict[] CheckBatch<TProgram>(IReadOnlyList<TProgram> programs, Counts counts) where TProgram : ICheckedProgram<TProgram>
    {
        var verdicts = new Verdict[programs.Count];
        string[] sources = programs.Select((p, i) => p.Source(i) + p.Glue(i)).Append(SampleSources.ImplicitUsings).Append(Shared).ToArray();
        CompileResult compiled = Compile(sources);
        if (compiled.Exception is { } exception)
        {
            if (programs.Count == 1) return [new Verdict(FailureKind.GeneratorException, exception)];
            return programs.Select(p => CheckBatch([p], counts)[0]).ToArray();
        }

        // Attribute each diagnostic to its program: SG diagnostics and user errors by file, generated errors by type name.
        foreach (Diagnostic d in compiled.SymGrad)
        {
            int i = FileIndex(d);
            if (i >= 0 && i < programs.Count) verdicts[i] ??= new Verdict(FailureKind.SymGradDiagnostic, GeneratorRun.Line(d));
        }
        foreach (Diagnostic d in compiled.Problems)
        {
            string path = d.Location.SourceTree?.FilePath ?? "";
            int i = FileIndex(d);
            if (i >= 0 && i < programs.Count) verdicts[i] ??= new Verdict(FailureKind.UserCodeError, GeneratorRun.Line(d));
            else if (GeneratedType.Match(Path.GetFileName(path)) is { Success: true } m && int.TryParse(m.Groups[1].Value, out int g) && g < programs.Count)
            {
                verdicts[g] = verdicts[g] is { Kind: FailureKind.SymGradDiagnostic } ? verdicts[g] : new Verdict(FailureKind.GeneratedCodeError,
                    GeneratorRun.Line(d) + "\n" + d.Location.SourceTree!.GetText().ToString());
            }
            else
            {
                throw new InvalidOperationException("A diagnostic outside every program: " + GeneratorRun.Line(d) + " in " + path);
            }
        }
        if (compiled.Image is null)
        {
            // Nothing can run: the programs that compiled are checked again without the broken ones.
            var good = Enumerable.Range(0, programs.Count).Where(i => verdicts[i] is null).ToList();
            if (good.Count == programs.Count) throw new InvalidOperationException("Emit failed with no diagnostic");
            Verdict[] rest = good.Count == 0 ? [] : CheckBatch(good.Select(i => programs[i]).ToList(), counts);
            for (int k = 0; k < good.Count; k++) verdicts[good[k]] = rest[k];
            return verdicts;
        }

        counts.Split += compiled.Split;
        using var loaded = new LoadedAssembly(compiled.Image);
        for (int i = 0; i < programs.Count; i++)
        {
            if (verdicts[i] is not null) continue;
            counts.Programs++;
            Type glue = loaded.Assembly.GetType("Fuzz.G" + i)!;
            verdicts[i] = CheckPoints(programs[i].Points, glue, loaded.Assembly.GetType("Fuzz.J" + i), counts);
        }
        return verdicts;
    }

    // The generator reports on a location rebuilt from its path and span, with no syntax tree: read the path.
    private static int FileIndex(Diagnostic d) =>
        SourceFile.Match(Path.GetFileName(d.Location.GetLineSpan().Path ?? "")) is { Success: true } m ? int.Parse(m.Groups[1].Value) : -1;

    private sealed record CompileResult(string? Exception, IReadOnlyList<Diagnostic> SymGrad, IReadOnlyList<Diagnostic> Problems, MemoryStream? Image)
    {
        public int Split { get; init; }
    }

    /// <summary>Roslyn and the generator on the sources, then Emit (which binds everything once, with all diagnostics).</summary>
    private static CompileResult Compile(string[] sources)
    {
        Compilation input = GeneratorHarness.Compile(sources);
        GeneratorDriver driver = GeneratorHarness.NewDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out _);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        if (result.Exception is { } e) return new(e.ToString(), [], [], null);
        var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = output.Emit(image);
        var problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        if (problems.Any(p => p.Id == "CS8785")) return new(GeneratorRun.Describe(problems.Where(p => p.Id == "CS8785")), [], [], null);
        image.Position = 0;
        int split = result.GeneratedSources.Count(s => s.SourceText.ToString().Contains("GradientPart1("));
        return new CompileResult(null, result.Diagnostics, problems, emitted.Success && problems.Count == 0 ? image : null) with { Split = split };
    }

    private delegate double TapeRun(double[] z, double s, int n, int[] k, double[] g, out bool intermediatesFinite);

    private delegate double JvpRun(double[] z, double s, int n, int[] k, double[] u, out double derivative);

    /// <summary>
    /// Forward over reverse: FHvp returns F's value and FGradient's gradient bit for bit (the same instructions), and
    /// H·t equals central differences of the generated gradient along the tangent, where two step sizes agree.
    /// </summary>
    private static Verdict? CheckHvp(Func<double[], double, int, int[], double[], double[], double[], double> hvp, Func<double[], double, int, int[], double[], double> gradient,
                                     Point p, double f, double[] generated, Counts counts)
    {
        int n = generated.Length;
        double[] g = new double[n], hv = new double[n];
        double[] tangent = Tangent(n);
        double value = hvp(p.Z, p.S, p.N, p.K, tangent, g, hv);
        if (!value.Equals(f)) return new(FailureKind.HvpMismatch, $"at {p}: FHvp returned {value:R}, F {f:R}");
        for (int k = 0; k < n; k++)
        {
            if (!g[k].Equals(generated[k])) return new(FailureKind.HvpMismatch, $"at {p}: FHvp's d/d{p.Labels[k]} {g[k]:R}, FGradient's {generated[k]:R}");
        }
        double[] Along(double h)
        {
            double[] plus = p.Z, minus = p.Z, gp = new double[n], gm = new double[n];
            for (int k = 0; k < n; k++)
            {
                plus[k] += h * tangent[k];
                minus[k] -= h * tangent[k];
            }
            gradient(plus, p.S, p.N, p.K, gp);
            gradient(minus, p.S, p.N, p.K, gm);
            return Enumerable.Range(0, n).Select(k => (gp[k] - gm[k]) / (2 * h)).ToArray();
        }
        double[] coarse = Along(HvpH), fine = Along(HvpH / 4);
        double scale = generated.Select(Math.Abs).DefaultIfEmpty(0).Max();
        for (int k = 0; k < n; k++)
        {
            double noise = 1e3 * (Math.BitIncrement(1.0) - 1.0) * Math.Max(1, scale) / HvpH;
            if (!Near(coarse[k], fine[k], StableTolerance * 10, noise) || !double.IsFinite(hv[k]) && !double.IsFinite(coarse[k]))
            {
                counts.HvpUnstable++;
                continue;
            }
            counts.HvpEntries++;
            if (hv[k] != 0) counts.HvpNonZero++;
            // Central differences are off by c·h²: the two step sizes give the limit (16·fine − coarse) / 15 to
            // O(h⁴), where truncation dominates (large curvature). Against coarse alone an exact H·t failed where
            // coarse and fine only just agreed (the campaign's -533,961.6 against -534,016.0 and -533,965.0: the
            // extrapolation is -533,961.6). Where rounding dominates, the extrapolation is the noisier one, so
            // either estimate may confirm H·t.
            double extrapolated = (16 * fine[k] - coarse[k]) / 15;
            if (!Near(hv[k], coarse[k], FdTolerance, noise) && !Near(hv[k], extrapolated, FdTolerance, noise))
            {
                return new(FailureKind.HvpMismatch, $"at {p}: (H·t)[{p.Labels[k]}] = {hv[k]:R}, differences of the gradient {coarse[k]:R} (h/4: {fine[k]:R}, extrapolated: {extrapolated:R})");
            }
        }
        return null;
    }

    private const double HvpH = 1e-5;

    /// <summary>FHessian: F's value, rows equal to H·e_k from FHvp bit for bit (upper triangle), and symmetric to the bit.</summary>
    private static Verdict? CheckHessian(Func<double[], double, int, int[], double[,], double> hessian,
                                         Func<double[], double, int, int[], double[], double[], double[], double> hvp, Point p, double f, Counts counts)
    {
        int n = p.Labels.Length;
        var h = new double[n, n];
        double value = hessian(p.Z, p.S, p.N, p.K, h);
        if (!value.Equals(f)) return new(FailureKind.HvpMismatch, $"at {p}: FHessian returned {value:R}, F {f:R}");
        double[] unit = new double[n], g = new double[n], row = new double[n];
        for (int k = 0; k < n; k++)
        {
            unit[k] = 1;
            hvp(p.Z, p.S, p.N, p.K, unit, g, row);
            unit[k] = 0;
            for (int j = 0; j < n; j++)
            {
                if (!h[k, j].Equals(h[j, k])) return new(FailureKind.HvpMismatch, $"at {p}: FHessian[{k}, {j}] = {h[k, j]:R} but [{j}, {k}] = {h[j, k]:R}");
                if (j >= k && !h[k, j].Equals(row[j])) return new(FailureKind.HvpMismatch, $"at {p}: FHessian[{k}, {j}] = {h[k, j]:R}, (H·e_{k})[{j}] = {row[j]:R}");
            }
        }
        counts.Hessians++;
        return null;
    }

    /// <summary>The tangent every point is checked along: fixed, every component nonzero, of mixed signs and sizes.</summary>
    private static readonly double[] Direction = [0.7, -1.3, 0.25, 2.0, -0.6, 1.1, -0.35, 0.9, -1.7];

    /// <summary><see cref="Direction"/> for a point with <paramref name="length"/> inputs: its components again and again.</summary>
    private static double[] Tangent(int length) => Enumerable.Range(0, length).Select(k => Direction[k % Direction.Length]).ToArray();

    /// <summary>
    /// Forward mode against reverse mode: FJvp returns F's value bit for bit, and its derivative is the generated
    /// gradient dotted with the tangent, to 1e-12 of the sum of the terms' sizes (the two add the same terms in
    /// other orders). Where that dot product is not finite, the JVP's derivative must not be finite either.
    /// </summary>
    private static Verdict? CheckJvp(JvpRun jvp, Point p, double f, double[] gradient, Counts counts)
    {
        double[] tangent = Tangent(gradient.Length);
        double value = jvp(p.Z, p.S, p.N, p.K, tangent, out double derivative);
        if (!value.Equals(f)) return new(FailureKind.JvpMismatch, $"at {p}: FJvp returned {value:R}, F {f:R}");
        double dot = 0, scale = 0;
        for (int k = 0; k < gradient.Length; k++)
        {
            dot += gradient[k] * tangent[k];
            scale += Math.Abs(gradient[k] * tangent[k]);
        }
        counts.Jvps++;
        bool agree = double.IsFinite(dot) ? Math.Abs(derivative - dot) <= 1e-12 * Math.Max(1, scale) : !double.IsFinite(derivative);
        return agree ? null : new(FailureKind.JvpMismatch, $"at {p}: FJvp's derivative {derivative:R}, gradient · tangent {dot:R}");
    }

    private static Verdict CheckPoints(ImmutableArray<Point> points, Type glue, Type? vector, Counts counts)
    {
        var jacobian = vector?.GetMethod("Jacobian")!.CreateDelegate<JacobianRun>();
        var vjp = vector?.GetMethod("Vjp")!.CreateDelegate<VjpRun>();
        var value = glue.GetMethod("Value")!.CreateDelegate<Func<double[], double, int, int[], double>>();
        var gradient = glue.GetMethod("Gradient")!.CreateDelegate<Func<double[], double, int, int[], double[], double>>();
        var tape = glue.GetMethod("Tape")!.CreateDelegate<TapeRun>();
        var jvp = glue.GetMethod("Jvp")!.CreateDelegate<JvpRun>();
        var hvp = glue.GetMethod("Hvp")!.CreateDelegate<Func<double[], double, int, int[], double[], double[], double[], double>>();
        var hessian = glue.GetMethod("Hessian")!.CreateDelegate<Func<double[], double, int, int[], double[,], double>>();
        foreach (Point p in points)
        {
            try
            {
                double[] z = p.Z;
                double f = value(z, p.S, p.N, p.K);
                counts.Points++;
                if (!double.IsFinite(f))
                {
                    counts.NonFinitePoints++;
                    continue;
                }
                string[] names = p.Labels;
                double[] generated = new double[names.Length], taped = new double[names.Length];
                double returned = gradient(z, p.S, p.N, p.K, generated);
                if (!returned.Equals(f)) return new(FailureKind.ValueMismatch, $"at {p}: FGradient returned {returned:R}, F {f:R}");
                double tapeValue = tape(z, p.S, p.N, p.K, taped, out bool intermediatesFinite);
                if (CheckJvp(jvp, p, f, generated, counts) is { } jvpFailure) return jvpFailure;
                if (CheckHvp(hvp, gradient, p, f, generated, counts) is { } hvpFailure) return hvpFailure;
                if (CheckHessian(hessian, hvp, p, f, counts) is { } hessianFailure) return hessianFailure;
                if (jacobian is not null && CheckJacobian(jacobian, vjp!, p, f, generated, intermediatesFinite, counts) is { } jacobianFailure) return jacobianFailure;
                if (!Close(tapeValue, f, TapeTolerance)) return new(FailureKind.TapeMismatch, $"at {p}: FTape's value {tapeValue:R}, F {f:R}");
                for (int k = 0; k < names.Length; k++)
                {
                    if (!Close(generated[k], taped[k], TapeTolerance))
                    {
                        return new(FailureKind.TapeMismatch, $"at {p}: d/d{names[k]} generated {generated[k]:R}, tape {taped[k]:R}");
                    }
                }
                // An intermediate overflowed (say a0 -> -Infinity, then tanh(a0) = -1): the chain rule rightly gives
                // 0 * Infinity = NaN where finite differences of the saturated value say 0. The reference is
                // meaningless there, so such a point is compared with the tape alone (above), and counted.
                if (!intermediatesFinite)
                {
                    counts.NonFiniteIntermediates++;
                    continue;
                }
                for (int k = 0; k < names.Length; k++)
                {
                    counts.Coordinates++;
                    if (generated[k] != 0) counts.NonZero++;
                    // Stable: two step sizes agree, and so do the one-sided slopes (a symmetric kink fools the first test).
                    double fd = Difference(value, p, k, H, H), fine = Difference(value, p, k, SmallH, SmallH);
                    double forward = Difference(value, p, k, H, 0), backward = Difference(value, p, k, 0, H);
                    if (!Near(fd, fine, StableTolerance, Noise(f, SmallH)) || !Near(forward, backward, OneSidedTolerance, Noise(f, H)))
                    {
                        counts.UnstableDifferences++;
                        continue;
                    }
                    if (!Near(generated[k], fd, FdTolerance, Noise(f, H)))
                    {
                        return new(FailureKind.FiniteDifferenceMismatch, $"at {p}: d/d{names[k]} generated {generated[k]:R}, finite differences {fd:R} (h/4: {fine:R})");
                    }
                }
            }
            catch (TargetInvocationException e)
            {
                return new(FailureKind.ValueMismatch, $"at {p}: threw {e.InnerException}");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return new(FailureKind.ValueMismatch, $"at {p}: threw {e}");
            }
        }
        return Verdict.Pass;
    }

    /// <summary>(f(z + up e_k) - f(z - down e_k)) / (up + down): central when up = down, one-sided when one is 0.</summary>
    private static double Difference(Func<double[], double, int, int[], double> f, Point p, int k, double up, double down)
    {
        double[] plus = p.Z, minus = p.Z;
        plus[k] += up;
        minus[k] -= down;
        return (f(plus, p.S, p.N, p.K) - f(minus, p.S, p.N, p.K)) / (up + down);
    }

    /// <summary>
    /// The rounding noise of a difference quotient with step h of a function whose value is about f: each value is
    /// off by an ulp or so, and the difference divides that by h (with a margin for the rounding inside f). Next to a
    /// value of 1e28 a term tanh(y) is lost entirely, and finite differences say 0 where the gradient rightly says 0.86.
    /// </summary>
    private static double Noise(double f, double h) => 1e3 * (Math.BitIncrement(1.0) - 1.0) * Math.Abs(f) / h;

    /// <summary><see cref="Close"/>, or within the finite differences' rounding noise.</summary>
    private static bool Near(double a, double b, double tolerance, double noise) => Close(a, b, tolerance) || Math.Abs(a - b) <= noise;

    /// <summary>|a - b| &lt;= tol * max(1, |a|, |b|); NaN equals NaN, an infinity only itself.</summary>
    public static bool Close(double a, double b, double tolerance) =>
        a.Equals(b) || Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    /// <summary>The same kind of failure; for a diagnostic, the same id (a shrink must not trade CS0117 for CS0103).</summary>
    private static bool SameFailure(Verdict a, Verdict b) =>
        a.Kind == b.Kind && (a.Kind is not (FailureKind.SymGradDiagnostic or FailureKind.UserCodeError or FailureKind.GeneratedCodeError)
                             || a.Detail.Split(' ')[0] == b.Detail.Split(' ')[0]);

    /// <summary>
    /// Greedy structural shrinking: keep the first smaller program that still fails the same way, until none does.
    /// Candidates are compiled in batches, so a shrink costs a few compilations, not hundreds.
    /// </summary>
    public static (TProgram Program, Verdict Verdict, int Steps) Shrink<TProgram>(TProgram program, Verdict verdict, int budget = 600)
        where TProgram : ICheckedProgram<TProgram>
    {
        int tried = 0, steps = 0;
        while (tried < budget)
        {
            var candidates = program.Shrinks().Where(c => c.Size < program.Size || c.Points.Length < program.Points.Length)
                .Distinct().Take(40).ToList();
            if (candidates.Count == 0) break;
            tried += candidates.Count;
            Verdict[] results = CheckBatch(candidates, new Counts());
            int found = Array.FindIndex(results, r => SameFailure(r, verdict));
            if (found < 0)
            {
                // The first 40 shrinks all pass: try the next ones.
                var more = program.Shrinks().Where(c => c.Size < program.Size).Distinct().Skip(40).Take(160).ToList();
                if (more.Count == 0) break;
                tried += more.Count;
                results = CheckBatch(more, new Counts());
                found = Array.FindIndex(results, r => SameFailure(r, verdict));
                if (found < 0) break;
                candidates = more;
            }
            program = candidates[found];
            verdict = results[found];
            steps++;
        }
        return (program, verdict, steps);
    }
}
