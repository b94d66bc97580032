namespace SymGrad.Tests.Generator;

/// <summary>
/// A gradient too long for one method the JIT optimises is emitted as parts that share values through a frame.
/// Its numbers are checked with every other sample in <see cref="GradientCorrectnessTests"/> ("Large.Net").
/// </summary>
public class SplitTests
{
    [Fact]
    public void A_large_gradient_is_split_into_parts_that_compile_cleanly()
    {
        GeneratorRun run = GeneratorHarness.Run(StraightLine, SampleSources.ImplicitUsings);
        run.AssertGeneratedCodeIsClean();
        string code = run.SingleSource;
        Assert.Contains("private static void NetGradientPart1(", code);
        Assert.Contains("private static void NetGradientPart2(", code);
        Assert.Contains("NetGradientPart2(v, dV, frame);", code);
        // Each part stays well inside the JIT's limits: count its statements.
        foreach (string part in code.Split("private static void NetGradientPart").Skip(1))
        {
            string body = part[..part.IndexOf("\n        }\n", StringComparison.Ordinal)];
            int statements = body.Split('\n').Count(line => line.TrimEnd().EndsWith(';'));
            Assert.InRange(statements, 1, 1_500);
        }
    }

    /// <summary>
    /// 1,500 statements of straight-line code (loops stay loops now, so a long method is one written long): a
    /// sum of distinct terms over 40 inputs.
    /// </summary>
    private static readonly string StraightLine =
        "using System;\nusing SymGrad;\n\nnamespace Samples;\n\npublic static partial class Long\n{\n    [Differentiable]\n    public static double Net(double[] v)\n    {\n        double s = 0;\n"
        + string.Join("\n", Enumerable.Range(0, 1500).Select(k => $"        s += Math.Sin(v[{k % 40}] * {k + 1}.0) * v[{k * 7 % 40}];"))
        + "\n        return s;\n    }\n}\n";

    /// <summary>
    /// The same with a two-dimensional parameter, read through a flat view: each part declares the view itself (the
    /// loop fuzz found parts reading the top method's view, CS0103, once switch statements made methods long).
    /// </summary>
    [Fact]
    public void A_split_gradient_reading_a_two_dimensional_array_declares_its_views_in_each_part()
    {
        string source = StraightLine.Replace("Net(double[] v)", "Net(double[] v, double[,] m)")
            .Replace("        return s;", "        return s + m[1, 0] * s + m[0, 1];")
            .Replace("s += Math.Sin(v[7]", "s += m[1, 1] * Math.Sin(v[7]");
        GeneratorRun run = GeneratorHarness.Run(source, SampleSources.ImplicitUsings);
        run.AssertGeneratedCodeIsClean();
        string code = run.SingleSource;
        Assert.Contains("private static void NetGradientPart2(", code);
        foreach (string part in code.Split("private static void NetGradientPart").Skip(1).Where(p => p.Contains("mFlat[")))
        {
            Assert.Contains("global::System.Span<double> mFlat = global::SymGrad.GradientTape.Flat(m);", part);
        }
        CheckLarge(run);
    }

    /// <summary>
    /// The same as a model class: the parts take the fields (as the locals the top method read them into) and their
    /// adjoints (bound to the gradient instance's fields). Found by a model fuzz campaign (CS1501: the parts had the
    /// public signature, the calls passed every input).
    /// </summary>
    [Fact]
    public void A_split_gradient_of_a_model_class_passes_the_fields_to_its_parts()
    {
        string source = StraightLine.Replace("public static partial class Long", "public sealed partial class Long")
            .Replace("    [Differentiable]\n    public static double Net(double[] v)", "    public double[] W = new double[40];\n    public double B;\n\n    [Differentiable]\n    public double Net([NoDerivative] double[] v)")
            .Replace("        return s;", "        return s * B + W[3] * W[17];")
            .Replace("s += Math.Sin(v[7]", "s += W[5] * Math.Sin(v[7]");
        LoadedAssembly loaded = GeneratorHarness.Run(source, SampleSources.ImplicitUsings).Load();
        Type type = loaded.Assembly.GetType("Samples.Long")!;
        Assert.NotNull(type.GetMethod("NetGradientPart2", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static));
        object model = Activator.CreateInstance(type)!, gradient = Activator.CreateInstance(type)!;
        double[] w = [.. Enumerable.Range(0, 40).Select(k => Math.Cos(k))], v = [.. Enumerable.Range(0, 40).Select(k => 0.1 * Math.Sin(3 * k))];
        type.GetField("W")!.SetValue(model, w);
        type.GetField("B")!.SetValue(model, 0.75);
        double Loss() => (double)type.GetMethod("Net")!.Invoke(model, [v])!;
        object?[] args = [v, gradient];
        Assert.Equal(Loss(), (double)type.GetMethod("NetGradient")!.Invoke(model, args)!);
        double[] dW = (double[])type.GetField("W")!.GetValue(gradient)!;
        foreach (int k in new[] { 3, 5, 17 })
        {
            double at = w[k], h = 1e-6;
            w[k] = at + h;
            double up = Loss();
            w[k] = at - h;
            double down = Loss();
            w[k] = at;
            Assert.Equal((up - down) / (2 * h), dW[k], 1e-5);
        }
        double dB = (double)type.GetField("B")!.GetValue(gradient)!;
        type.GetField("B")!.SetValue(model, 0.75 + 1e-6);
        double upB = Loss();
        type.GetField("B")!.SetValue(model, 0.75 - 1e-6);
        Assert.Equal((upB - Loss()) / 2e-6, dB, 1e-5);
    }

    /// <summary>
    /// A split gradient with a struct parameter: its parts take the struct's numbers and their adjoints (locals of
    /// the top method), and the gradient struct is built once, after the last part.
    /// </summary>
    [Fact]
    public void A_split_gradient_with_a_struct_parameter_builds_its_gradient_struct_after_the_parts()
    {
        string source = StraightLine.Replace("public static partial class Long", "public readonly record struct Pair(double A, double B);\n\npublic static partial class Long")
            .Replace("Net(double[] v)", "Net([NoDerivative] double[] v, Pair q)")
            .Replace("        return s;", "        return s * q.A + q.B * q.B;")
            .Replace("s += Math.Sin(v[7]", "s += q.B * Math.Sin(v[7]");
        GeneratorRun run = GeneratorHarness.Run(source, SampleSources.ImplicitUsings);
        Assert.Contains("NetGradientPart2(", run.SingleSource);
        LoadedAssembly loaded = run.Load();
        Type type = loaded.Assembly.GetType("Samples.Long")!, pair = loaded.Assembly.GetType("Samples.Pair")!;
        double[] v = [.. Enumerable.Range(0, 40).Select(k => 0.1 * Math.Sin(3 * k))];
        double Loss(double a, double b) => (double)type.GetMethod("Net")!.Invoke(null, [v, Activator.CreateInstance(pair, a, b)])!;
        object?[] args = [v, Activator.CreateInstance(pair, 0.6, -0.3), Activator.CreateInstance(pair, 1e3, 1e3)];
        Assert.Equal(Loss(0.6, -0.3), (double)type.GetMethod("NetGradient")!.Invoke(null, args)!);
        double dA = (double)pair.GetProperty("A")!.GetValue(args[2])!, dB = (double)pair.GetProperty("B")!.GetValue(args[2])!;
        const double h = 1e-6;
        Assert.Equal((Loss(0.6 + h, -0.3) - Loss(0.6 - h, -0.3)) / (2 * h), dA, 1e-6);
        Assert.Equal((Loss(0.6, -0.3 + h) - Loss(0.6, -0.3 - h)) / (2 * h), dB, 1e-6);
    }

    /// <summary>The split gradient's numbers against the tape twin, at one point.</summary>
    private static void CheckLarge(GeneratorRun run)
    {
        var (_, probes) = Probe.Load(run, "Net");
        double[] v = [.. Enumerable.Range(0, 40).Select(k => 0.01 * k - 0.2)];
        var m = new double[,] { { 0.3, -0.7 }, { 1.1, 0.4 } };
        GradientCorrectnessTests.CheckPoint("Net", probes["Net"], [v, m]);
    }

    [Fact]
    public void A_small_gradient_is_one_method() =>
        Assert.DoesNotContain("GradientPart", GeneratorHarness.Run(SampleSources.SeedNet, SampleSources.ImplicitUsings).SingleSource);
}
