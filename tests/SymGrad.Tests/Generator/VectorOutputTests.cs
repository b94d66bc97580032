using System.Reflection;

namespace SymGrad.Tests.Generator;

/// <summary>
/// Vector outputs (<c>void F(inputs, [Output] Span&lt;double&gt; r)</c>): the generated VJP, JVP and Jacobian of
/// each case in <see cref="VectorOutputSources"/> against each other and against independent references: the
/// <c>Value</c> tape twin's gradient of each output (a row), central finite differences of F, and the identities
/// dRᵀ·J (VJP) and J·t (JVP). At points on both sides of the cases' branches.
/// </summary>
public class VectorOutputTests
{
    private delegate void Primal(double[] z, double[] r);
    private delegate void Vjp(double[] z, double[] r, double[] dR, double[] g);
    private delegate void Jvp(double[] z, double[] t, double[] r, double[] tR);
    private delegate void Jacobian(double[] z, double[] r, double[,] j);
    private delegate double[] TapeRow(double[] z, int row);

    private sealed record Case(Primal Primal, Vjp Vjp, Jvp Jvp, Jacobian Jacobian, TapeRow TapeRow, int Inputs, int Outputs);

    private static readonly Lazy<(LoadedAssembly Assembly, Dictionary<string, Case> Cases)> Loaded = new(() =>
    {
        LoadedAssembly assembly = GeneratorHarness.Run(VectorOutputSources.Source).Load();
        var cases = VectorOutputSources.Cases.ToDictionary(c => c.Name, c =>
        {
            Type type = assembly.Assembly.GetType("Vec." + c.Name)!;
            T Get<T>(string name) where T : Delegate => type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<T>();
            return new Case(Get<Primal>("Primal"), Get<Vjp>("Vjp"), Get<Jvp>("Jvp"), Get<Jacobian>("Jacobian"), Get<TapeRow>("TapeRow"), c.Inputs, c.Outputs);
        });
        return (assembly, cases);
    });

    public static TheoryData<string, int> Points()
    {
        var data = new TheoryData<string, int>();
        foreach ((string name, _, _) in VectorOutputSources.Cases)
        {
            for (int seed = 0; seed < 4; seed++) data.Add(name, seed);
        }
        return data;
    }

    /// <summary>A point: seed 0 and 1 put Branches' a below zero, 2 and 3 above; Accumulate's p[2] near 1 breaks at different trips.</summary>
    private static double[] Point(string name, int n, int seed)
    {
        var random = new Random(4200 + 31 * seed + name.Length);
        double[] z = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 1.6 - 0.8).ToArray();
        switch (name)
        {
            case "Branches":
                z[0] = seed < 2 ? -0.3 - 0.2 * seed : 0.4 + 0.3 * seed;
                break;
            case "Residual":
                z[5] = 2.5 + seed; // the point in front of the camera
                break;
            case "Accumulate":
                z[0] = 0.5 + 0.2 * seed;
                z[2] = 1.05 + 0.1 * seed;
                break;
        }
        return z;
    }

    private static double[,] JacobianOf(Case c, double[] z, double[] r)
    {
        var j = new double[c.Outputs, c.Inputs];
        c.Jacobian(z, r, j);
        return j;
    }

    private static void Close(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    [Theory]
    [MemberData(nameof(Points))]
    public void Jacobian_rows_are_the_tape_gradients_of_each_output_and_its_results_are_the_methods(string name, int seed)
    {
        Case c = Loaded.Value.Cases[name];
        double[] z = Point(name, c.Inputs, seed);
        double[] expected = new double[c.Outputs], r = new double[c.Outputs];
        c.Primal(z, expected);
        double[,] j = JacobianOf(c, z, r);
        Assert.Equal(expected, r); // bit for bit
        for (int row = 0; row < c.Outputs; row++)
        {
            double[] tape = c.TapeRow(z, row);
            for (int k = 0; k < c.Inputs; k++) Close(tape[k], j[row, k], 1e-12, $"{name} J[{row}, {k}] vs the tape");
        }
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void Jacobian_matches_central_finite_differences(string name, int seed)
    {
        Case c = Loaded.Value.Cases[name];
        double[] z = Point(name, c.Inputs, seed);
        double[,] j = JacobianOf(c, z, new double[c.Outputs]);
        const double h = 1e-6;
        for (int k = 0; k < c.Inputs; k++)
        {
            double[] plus = (double[])z.Clone(), minus = (double[])z.Clone();
            plus[k] += h;
            minus[k] -= h;
            double[] rPlus = new double[c.Outputs], rMinus = new double[c.Outputs];
            c.Primal(plus, rPlus);
            c.Primal(minus, rMinus);
            for (int row = 0; row < c.Outputs; row++) Close((rPlus[row] - rMinus[row]) / (2 * h), j[row, k], 1e-6, $"{name} J[{row}, {k}] vs differences");
        }
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void Vjp_is_the_seed_times_the_jacobian_and_jvp_the_jacobian_times_the_tangent(string name, int seed)
    {
        Case c = Loaded.Value.Cases[name];
        double[] z = Point(name, c.Inputs, seed);
        double[,] j = JacobianOf(c, z, new double[c.Outputs]);
        var random = new Random(77 + seed);
        double[] dR = Enumerable.Range(0, c.Outputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] t = Enumerable.Range(0, c.Inputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        double[] expected = new double[c.Outputs];
        c.Primal(z, expected);

        double[] r = new double[c.Outputs], g = Enumerable.Repeat(double.NaN, c.Inputs).ToArray(); // overwritten, not added to
        c.Vjp(z, r, dR, g);
        Assert.Equal(expected, r);
        for (int k = 0; k < c.Inputs; k++)
        {
            double sum = 0;
            for (int row = 0; row < c.Outputs; row++) sum += dR[row] * j[row, k];
            Close(sum, g[k], 1e-12, $"{name} (dRᵀJ)[{k}]");
        }

        double[] r2 = new double[c.Outputs], tR = Enumerable.Repeat(double.NaN, c.Outputs).ToArray();
        c.Jvp(z, t, r2, tR);
        Assert.Equal(expected, r2);
        for (int row = 0; row < c.Outputs; row++)
        {
            double sum = 0;
            for (int k = 0; k < c.Inputs; k++) sum += j[row, k] * t[k];
            Close(sum, tR[row], 1e-12, $"{name} (J·t)[{row}]");
        }
    }

    [Fact]
    public void Jacobian_takes_rows_by_reverse_sweeps_when_there_are_fewer_outputs_and_columns_by_forward_sweeps_otherwise()
    {
        // CurveLike has more rows (9) than columns (3): columns, each one JVP with a unit tangent.
        Case c = Loaded.Value.Cases["CurveLike"];
        double[] z = Point("CurveLike", c.Inputs, 0);
        double[,] j = JacobianOf(c, z, new double[c.Outputs]);
        for (int k = 0; k < c.Inputs; k++)
        {
            double[] unit = new double[c.Inputs], tR = new double[c.Outputs];
            unit[k] = 1;
            c.Jvp(z, unit, new double[c.Outputs], tR);
            for (int row = 0; row < c.Outputs; row++) Assert.Equal(tR[row], j[row, k]); // the same sweep, bit for bit
        }
        // Residual has fewer rows (2) than columns (6): rows, each one VJP with a unit seed.
        Case b = Loaded.Value.Cases["Residual"];
        double[] y = Point("Residual", b.Inputs, 1);
        double[,] jb = JacobianOf(b, y, new double[b.Outputs]);
        for (int row = 0; row < b.Outputs; row++)
        {
            double[] unit = new double[b.Outputs], g = new double[b.Inputs];
            unit[row] = 1;
            b.Vjp(y, new double[b.Outputs], unit, g);
            for (int k = 0; k < b.Inputs; k++) Assert.Equal(g[k], jb[row, k]);
        }
    }

    /// <summary>
    /// The Jacobian's per-thread buffers are <c>ThreadLocal</c> fields, never <c>[ThreadStatic]</c> (a thread-static
    /// field in a collectible load context crashed this test host once, in libcoreclr, as a pool thread exited), and
    /// four threads computing Jacobians at once get, bit for bit, what one thread gets.
    /// </summary>
    [Fact]
    public void Jacobian_buffers_are_thread_local_fields_and_threads_computing_at_once_get_one_threads_results()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;
        FieldInfo[] fields = Loaded.Value.Assembly.Assembly.GetTypes().SelectMany(t => t.GetFields(all)).ToArray();
        Assert.DoesNotContain(fields, f => f.IsDefined(typeof(ThreadStaticAttribute)));
        FieldInfo[] buffers = fields.Where(f => f.Name.Contains("Jacobian", StringComparison.Ordinal)).ToArray();
        Assert.Contains(buffers, f => f.FieldType == typeof(ThreadLocal<double[]>));
        Assert.Contains(buffers, f => f.FieldType == typeof(ThreadLocal<double[,]>)); // Matrix's w
        Assert.All(buffers, f => Assert.True(f.IsInitOnly && f.FieldType.GetGenericTypeDefinition() == typeof(ThreadLocal<>), f.Name));

        var work = VectorOutputSources.Cases.SelectMany(c => Enumerable.Range(0, 4).Select(seed => (c.Name, seed))).ToArray();
        double[][,] alone = work.Select(w => JacobianOf(Loaded.Value.Cases[w.Name], Point(w.Name, Loaded.Value.Cases[w.Name].Inputs, w.seed), new double[Loaded.Value.Cases[w.Name].Outputs])).ToArray();
        var together = new double[4][][,];
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            try
            {
                // Each thread walks the work in its own order, many times, so the threads' calls interleave.
                together[t] = new double[work.Length][,];
                for (int round = 0; round < 50; round++)
                {
                    for (int k = 0; k < work.Length; k++)
                    {
                        int i = ((t % 2 == 0 ? k : work.Length - 1 - k) + round + t) % work.Length;
                        Case c = Loaded.Value.Cases[work[i].Name];
                        together[t][i] = JacobianOf(c, Point(work[i].Name, c.Inputs, work[i].seed), new double[c.Outputs]);
                    }
                }
            }
            catch (Exception e)
            {
                failures.Enqueue(e); // an exception escaping a thread would end the test host
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(failures);
        for (int t = 0; t < 4; t++)
        {
            for (int i = 0; i < work.Length; i++) Assert.Equal(alone[i], together[t][i]);
        }
    }

    [Fact]
    public void Rows_share_one_forward_sweep_where_each_backward_sweep_only_pops_and_writes_its_own_memory()
    {
        var shared = VectorOutputSources.Cases.Where(c => c.Outputs <= c.Inputs)
            .Where(c => Loaded.Value.Assembly.Assembly.GetType("Vec." + c.Name)!.GetMethod("FJacobianRows", BindingFlags.NonPublic | BindingFlags.Static) is not null)
            .Select(c => c.Name);
        // Recurrence's backward sweep pops the carried x from the tape: each row rewinds it.
        Assert.Equal(["Branches", "Matrix", "Residual", "Recurrence"], shared);
    }

    [Fact]
    public void Mis_shaped_seed_tangent_or_jacobian_is_an_argument_exception_naming_it()
    {
        Case c = Loaded.Value.Cases["Residual"];
        double[] z = Point("Residual", c.Inputs, 0);
        string Name(Action a) => Assert.Throws<ArgumentException>(a).ParamName!;
        Assert.Equal("dR", Name(() => c.Vjp(z, new double[2], new double[3], new double[6])));
        Assert.Equal("tR", Name(() => c.Jvp(z, new double[6], new double[2], new double[1])));
        Assert.Equal("jacobian", Name(() => c.Jacobian(z, new double[2], new double[2, 5])));
        Assert.Equal("jacobian", Name(() => c.Jacobian(z, new double[2], new double[3, 6])));
        Assert.Equal("dX", Name(() => c.Vjp(z, new double[2], new double[2], new double[5])));
    }
}

/// <summary>SG0017: each wrong shape of a vector output is named, located on its syntax, and says what to write.</summary>
public class VectorOutputDiagnosticTests
{
    private static (string Id, string Located, string Message) Only(string member)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using System;
            using SymGrad;

            public static partial class Fns
            {
                {{member}}
            }
            """);
        Microsoft.CodeAnalysis.Diagnostic d = Assert.Single(run.SymGradDiagnostics);
        Assert.Empty(run.Sources);
        return (d.Id, run.LocatedText(d), d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("[Differentiable] public static void F(double x, Span<double> r) { r[0] = x; }", "void", "no [Output] parameter")]
    [InlineData("[Differentiable] public static double F(double x, [Output] Span<double> r) { r[0] = x; return x; }", "double", "returns void")]
    [InlineData("[Differentiable] public static void F(double x, [Output] Span<double> a, [Output] Span<double> b) { a[0] = x; b[0] = x; }", "[Output] Span<double> b", "second [Output]")]
    [InlineData("[Differentiable] public static void F([Output] Span<double> r, double x) { r[0] = x; }", "[Output] Span<double> r", "last parameter")]
    [InlineData("[Differentiable] public static void F(double x, [Output] ReadOnlySpan<double> r) { }", "[Output] ReadOnlySpan<double> r", "Span<double> or a double[]")]
    [InlineData("[Differentiable] public static void F(double x, [Output, NoDerivative] double[] r) { r[0] = x; }", "[Output, NoDerivative] double[] r", "drop [NoDerivative]")]
    [InlineData("[Differentiable(Modes = DerivativeModes.Hessian)] public static void F(double x, [Output] double[] r) { r[0] = x * x; }", "Differentiable(Modes = DerivativeModes.Hessian)", "sum of squares")]
    [InlineData("[Differentiable(Modes = DerivativeModes.Jacobian)] public static double F(double x) => x * x;", "Differentiable(Modes = DerivativeModes.Jacobian)", "DerivativeModes.Reverse")]
    public void Wrong_vector_outputs_are_sg0017_on_their_syntax(string member, string located, string advice)
    {
        (string id, string where, string message) = Only(member);
        Assert.Equal("SG0017", id);
        Assert.Equal(located, where);
        Assert.Contains("'F'", message);
        Assert.Contains(advice, message);
    }
}
