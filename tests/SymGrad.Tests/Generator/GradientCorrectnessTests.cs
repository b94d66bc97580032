namespace SymGrad.Tests.Generator;

/// <summary>
/// For every sample method, at random points (fixed seed): the generated gradient equals the tape twin's
/// (<see cref="Value.Backward"/>, 1e-12 relative) and central finite differences of the method itself (1e-6); the
/// value it returns is the method's own, bit for bit; and the adjoints are overwritten, not accumulated.
/// </summary>
public class GradientCorrectnessTests
{
    private const int Points = 5;
    private const double TapeTolerance = 1e-12, FdTolerance = 1e-6, H = 1e-6;

    public static TheoryData<string> Cases => new(GradientCases.All.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_equals_tape_and_finite_differences(string name)
    {
        GradientCase c = GradientCases.All[name];
        Probe probe = GradientCases.ProbeOf(c);
        var random = new Random(20261126 + name.Length);
        int checkedPoints = 0;
        for (int attempt = 0; checkedPoints < Points && attempt < 1000; attempt++)
        {
            if (c.Point(random) is not { } args) continue;
            checkedPoints++;
            CheckPoint(name, probe, args);
        }
        Assert.Equal(Points, checkedPoints);
    }

    internal static void CheckPoint(string name, Probe probe, object[] args)
    {
        double value = probe.Value(args);
        Assert.True(double.IsFinite(value), $"{name}: the sample itself is not finite at {Show(args)}");

        // Adjoints full of garbage must come out exactly as adjoints full of zeros: the gradient is written.
        object?[] fromGarbage = probe.NewAdjoints(args, 1e3), fromZeros = probe.NewAdjoints(args, 0.0);
        double returned = probe.Gradient(args, fromGarbage);
        probe.Gradient(args, fromZeros);
        Assert.True(value.Equals(returned), $"{name}: Gradient returned {returned:R}, the method {value:R}");
        for (int i = 0; i < args.Length; i++) Assert.Equal(Flatten(fromZeros[i]), Flatten(fromGarbage[i]));

        (double tapeValue, object?[] tape) = probe.Tape(args);
        Assert.True(Close(value, tapeValue, TapeTolerance), $"{name}: tape value {tapeValue:R}, method {value:R}");

        for (int i = 0; i < args.Length; i++)
        {
            if (!probe.Parameters[i].Differentiable) continue;
            double[] generated = Flatten(fromGarbage[i]), reference = Flatten(tape[i]);
            for (int k = 0; k < generated.Length; k++)
            {
                string where = $"{name}: d/d{probe.Parameters[i].Name}[{k}] at {Show(args)}";
                Assert.True(Close(generated[k], reference[k], TapeTolerance), $"{where}: generated {generated[k]:R}, tape {reference[k]:R}");
                double fd = FiniteDifference(probe, args, i, k);
                Assert.True(Close(generated[k], fd, FdTolerance), $"{where}: generated {generated[k]:R}, finite differences {fd:R}");
            }
        }
    }

    /// <summary>|a - b| &lt;= tol * max(1, |a|, |b|): relative for large values, absolute near zero.</summary>
    internal static bool Close(double a, double b, double tolerance) =>
        a.Equals(b) || Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    private static double FiniteDifference(Probe probe, object[] args, int parameter, int element)
    {
        double At(double delta)
        {
            object[] copy = args.Select(Copy).ToArray();
            switch (copy[parameter])
            {
                case double d: copy[parameter] = d + delta; break;
                case double[] a: a[element] += delta; break;
                case double[,] m: m[element / m.GetLength(1), element % m.GetLength(1)] += delta; break;
            }
            return probe.Value(copy);
        }
        return (At(H) - At(-H)) / (2 * H);
    }

    internal static object Copy(object o) => o switch
    {
        double[] a => a.Clone(),
        double[,] m => m.Clone(),
        _ => o,
    };

    internal static double[] Flatten(object? o) => o switch
    {
        null => [],
        double d => [d],
        double[] a => a,
        double[,] m => m.Cast<double>().ToArray(),
        _ => throw new InvalidOperationException(o.GetType().Name),
    };

    private static string Show(object[] args) => "(" + string.Join(", ", args.Select(a => a switch
    {
        double d => d.ToString("R"),
        int n => n.ToString(),
        int[] ints => "[" + string.Join(", ", ints) + "]",
        _ => "[" + string.Join(", ", Flatten(a).Select(x => x.ToString("G6"))) + "]",
    })) + ")";
}
