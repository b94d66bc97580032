namespace SymGrad.Tests.Generator;

/// <summary>
/// A [Differentiable] sample method and how to pick random points for it: a point is the method's arguments
/// (double, int, double[] for arrays and spans, double[,]), or null when it falls too near a kink or a branch
/// boundary for finite differences to be meaningful (the generator is still right there; the reference is not).
/// </summary>
internal sealed record GradientCase(string Source, string Method, Func<Random, object[]?> Point);

internal static class GradientCases
{
    private static double U(Random r, double lo, double hi) => lo + (hi - lo) * r.NextDouble();

    private static double[] Vec(Random r, int n, double lo = -1, double hi = 1) =>
        Enumerable.Range(0, n).Select(_ => U(r, lo, hi)).ToArray();

    private static double[,] Mat(Random r, int rows, int columns, double lo = -1, double hi = 1)
    {
        var m = new double[rows, columns];
        for (int i = 0; i < rows; i++)
        for (int j = 0; j < columns; j++)
            m[i, j] = U(r, lo, hi);
        return m;
    }

    private static bool Away(double value, double from, double margin = 0.02) => Math.Abs(value - from) > margin;

    /// <summary>(x, y) with x in [0.3, 2], y in [-1.2, 1.2], away from every kink of <see cref="SampleSources.Functions"/>.</summary>
    private static object[]? FunctionPoint(Random r)
    {
        double x = U(r, 0.3, 2), y = U(r, -1.2, 1.2);
        bool ok = Away(y, 0) && Away(x, y) && Away(x, 3 * y) && Away(x * y, 0.1) && Away(x, 1.1) && Away(y, 0.3);
        return ok ? [x, y] : null;
    }

    /// <summary>All four pre-activations of both layers away from ReLU's kink.</summary>
    private static bool SeedNetAwayFromKinks(double[,] w1, double[] b1, double[,] w2, double[] b2, double[] x)
    {
        var h1 = new double[4];
        for (int i = 0; i < 4; i++)
        {
            double z = b1[i];
            for (int j = 0; j < 3; j++) z += w1[i, j] * x[j];
            if (!Away(z, 0, 1e-3)) return false;
            h1[i] = Math.Max(0, z);
        }
        for (int i = 0; i < 4; i++)
        {
            double z = b2[i];
            for (int j = 0; j < 4; j++) z += w2[i, j] * h1[j];
            if (!Away(z, 0, 1e-3)) return false;
        }
        return true;
    }

    private static object[]? PredictPoint(Random r)
    {
        double[,] w1 = Mat(r, 4, 3), w2 = Mat(r, 4, 4);
        double[] b1 = Vec(r, 4), b2 = Vec(r, 4), wOut = Vec(r, 4), x = Vec(r, 3, -3, 3);
        return SeedNetAwayFromKinks(w1, b1, w2, b2, x) ? [w1, b1, w2, b2, wOut, U(r, -1, 1), x] : null;
    }

    private static object[]? LossPoint(Random r)
    {
        double[,] w1 = Mat(r, 4, 3), w2 = Mat(r, 4, 4), xs = Mat(r, 4, 3, -3, 3);
        double[] b1 = Vec(r, 4), b2 = Vec(r, 4), wOut = Vec(r, 4), targets = Vec(r, 4);
        for (int s = 0; s < 4; s++)
        {
            if (!SeedNetAwayFromKinks(w1, b1, w2, b2, [xs[s, 0], xs[s, 1], xs[s, 2]])) return null;
        }
        return [w1, b1, w2, b2, wOut, U(r, -1, 1), xs, targets];
    }

    public static readonly Dictionary<string, GradientCase> All = new()
    {
        ["SeedNet.Predict"] = new(SampleSources.SeedNet, "Predict", PredictPoint),
        ["SeedNet.Loss"] = new(SampleSources.SeedNet, "Loss", LossPoint),
        ["Micrograd.SanityCheck"] = new(SampleSources.Micrograd, "SanityCheck", r =>
        {
            double x = U(r, -5, 5);
            // Kinks: z = 3x + 2 = 0 (both ReLUs).
            return Away(3 * x + 2, 0, 1e-3) ? [x] : null;
        }),
        ["Micrograd.MoreOps"] = new(SampleSources.Micrograd, "MoreOps", r =>
        {
            double a = U(r, -5, 5), b = U(r, -5, 5);
            return Away(a + b, 0, 1e-3) && Away(b - a, 0, 1e-3) ? [a, b] : null;
        }),
        ["Branches.Piecewise"] = new(SampleSources.Branches, "Piecewise", r =>
        {
            double x = U(r, -2, 2), y = U(r, -2, 2);
            bool ok = Away(x, 0.5) && Away(x, -0.5) && Away(y, 0) && Away(x, y);
            return ok ? [x, y] : null;
        }),
        ["Branches.GuardedDivision"] = new(SampleSources.Branches, "GuardedDivision", r =>
        {
            double x = U(r, 0.2, 2) * (r.Next(2) == 0 ? -1 : 1), y = U(r, -2, 2);
            return [x, y];
        }),
        ["Branches.EarlyReturn"] = new(SampleSources.Branches, "EarlyReturn", r =>
        {
            double x = U(r, -2, 2), y = U(r, -1, 3);
            return Away(x, 0) && Away(y, 1) ? [x, y] : null;
        }),
        ["Loops.Nested"] = new(SampleSources.Loops, "Nested", r => [Mat(r, 3, 4), Vec(r, 4)]),
        ["Large.Net"] = new(SampleSources.Large, "Net", r => [Mat(r, 24, 8), Vec(r, 24), Mat(r, 8, 8)]),
        ["LocalArrays.Arrays"] = new(SampleSources.LocalArrays, "Arrays", r => [U(r, -2, 2), U(r, -2, 2), Vec(r, 3)]),
        ["Compound.Assignments"] = new(SampleSources.Compound, "Assignments", r => [U(r, -2, 2), U(r, -2, 2), Vec(r, 3)]),
        ["Calls.Outer"] = new(SampleSources.Calls, "Outer", r => [U(r, -1, 1), Vec(r, 3), Vec(r, 3)]),
        ["Calls.Square"] = new(SampleSources.Calls, "Square", r => [U(r, -3, 3)]),
        ["Calls.Dot"] = new(SampleSources.Calls, "Dot", r => [Vec(r, 3), Vec(r, 3)]),
        ["Calls.Scale"] = new(SampleSources.Calls, "Scale", r => [U(r, -1, 1), U(r, -2, 2)]),
        ["Mixed.F"] = new(SampleSources.Mixed, "F", r => [U(r, -2, 2), Vec(r, 2), Mat(r, 2, 2), Vec(r, 3), r.Next(1, 6), U(r, -2, 2)]),
        ["Mixed.WithSpan"] = new(SampleSources.Mixed, "WithSpan", r => [Vec(r, 3), Vec(r, 3), U(r, -2, 2)]),
        ["Functions.OfExp"] = new(SampleSources.Functions, "OfExp", FunctionPoint),
        ["Functions.OfLog"] = new(SampleSources.Functions, "OfLog", FunctionPoint),
        ["Functions.OfSqrt"] = new(SampleSources.Functions, "OfSqrt", FunctionPoint),
        ["Functions.OfPow"] = new(SampleSources.Functions, "OfPow", FunctionPoint),
        ["Functions.OfTanh"] = new(SampleSources.Functions, "OfTanh", FunctionPoint),
        ["Functions.OfSin"] = new(SampleSources.Functions, "OfSin", FunctionPoint),
        ["Functions.OfCos"] = new(SampleSources.Functions, "OfCos", FunctionPoint),
        ["Functions.OfTan"] = new(SampleSources.Functions, "OfTan", FunctionPoint),
        ["Functions.OfAbs"] = new(SampleSources.Functions, "OfAbs", FunctionPoint),
        ["Functions.OfMax"] = new(SampleSources.Functions, "OfMax", FunctionPoint),
        ["Functions.OfMin"] = new(SampleSources.Functions, "OfMin", FunctionPoint),
        ["Functions.OfAtan"] = new(SampleSources.Functions, "OfAtan", FunctionPoint),
        ["Functions.OfRelu"] = new(SampleSources.Functions, "OfRelu", FunctionPoint),
        ["Functions.OfSigmoid"] = new(SampleSources.Functions, "OfSigmoid", FunctionPoint),
        ["Functions.OfSoftplus"] = new(SampleSources.Functions, "OfSoftplus", FunctionPoint),
        ["Functions.OfMaxZero"] = new(SampleSources.Functions, "OfMaxZero", FunctionPoint),
        ["Functions.OfConstants"] = new(SampleSources.Functions, "OfConstants", FunctionPoint),
    };

    private static readonly Dictionary<string, Lazy<(LoadedAssembly Assembly, Dictionary<string, Probe> Probes)>> Compiled =
        All.Values.GroupBy(c => c.Source).ToDictionary(g => g.Key, g => new Lazy<(LoadedAssembly, Dictionary<string, Probe>)>(
            () => Probe.Load(GeneratorHarness.Run(g.Key, SampleSources.ImplicitUsings), g.Select(c => c.Method).Distinct().ToArray())));

    /// <summary>The probe of a case's method, its source compiled (with the generator) once per test run.</summary>
    public static Probe ProbeOf(GradientCase c) => Compiled[c.Source].Value.Probes[c.Method];

    public static Probe ProbeOf(string caseName) => ProbeOf(All[caseName]);

    /// <summary>The loaded assembly a case's method was compiled into (with its generated members).</summary>
    public static LoadedAssembly AssemblyOf(string caseName) => Compiled[All[caseName].Source].Value.Assembly;
}
