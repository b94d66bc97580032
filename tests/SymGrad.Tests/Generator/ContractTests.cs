using System.Reflection;

namespace SymGrad.Tests.Generator;

/// <summary>
/// The generated members' contract (issue 3): for
/// <c>F(double a, double[] v, double[,] m, ReadOnlySpan&lt;double&gt; s, int n, [NoDerivative] double c)</c>,
/// <c>FGradient(a, v, m, s, n, c, ref double dA, Span&lt;double&gt; dV, double[,] dM, Span&lt;double&gt; dS)</c> and
/// <c>FTape(Value a, Value[] v, Value[,] m, ReadOnlySpan&lt;Value&gt; s, int n, double c)</c>; mis-shaped adjoints
/// throw <see cref="ArgumentException"/> naming the adjoint, before any work.
/// </summary>
public class ContractTests
{
    private static MethodInfo Generated(string name) =>
        GradientCases.AssemblyOf("Mixed.F").Method("Samples.Mixed", name);

    private static string Signature(MethodInfo m) =>
        m.ReturnType.Name + " " + m.Name + "(" + string.Join(", ", m.GetParameters().Select(p => p.ParameterType.ToString() + " " + p.Name)) + ")";

    [Fact]
    public void Gradient_has_the_parameters_then_one_adjoint_per_differentiable_parameter()
    {
        Assert.Equal(
            "Double FGradient(System.Double a, System.Double[] v, System.Double[,] m, System.ReadOnlySpan`1[System.Double] s, System.Int32 n, System.Double c, " +
            "System.Double& dA, System.Span`1[System.Double] dV, System.Double[,] dM, System.Span`1[System.Double] dS)",
            Signature(Generated("FGradient")));
        MethodInfo gradient = Generated("FGradient");
        Assert.True(gradient.IsStatic && gradient.IsPublic);
        Assert.False(gradient.GetParameters()[6].IsOut); // ref, not out
    }

    [Fact]
    public void Tape_takes_values_where_the_method_takes_doubles()
    {
        Assert.Equal(
            "Value FTape(SymGrad.Value a, SymGrad.Value[] v, SymGrad.Value[,] m, System.ReadOnlySpan`1[SymGrad.Value] s, System.Int32 n, System.Double c)",
            Signature(Generated("FTape")));
    }

    [Fact]
    public void A_mutable_span_parameter_gets_a_span_adjoint_and_a_span_of_values_on_the_tape()
    {
        Assert.Equal(
            "Double WithSpanGradient(System.Span`1[System.Double] w, System.Double[] k, System.Double t, System.Span`1[System.Double] dW, System.Double& dT)",
            Signature(Generated("WithSpanGradient")));
        Assert.Equal(
            "Value WithSpanTape(System.Span`1[SymGrad.Value] w, System.Double[] k, SymGrad.Value t)",
            Signature(Generated("WithSpanTape")));
    }

    private static object[] MixedArgs() => [0.8, new[] { 0.2, -0.6 }, new[,] { { 0.3, -0.7 }, { 1.1, 0.4 } }, new[] { 0.5, -0.25, 0.75 }, 3, -1.3];

    public static TheoryData<int, string, string> BadAdjoints => new()
    {
        { 1, "short", "dV" }, { 1, "long", "dV" },
        { 2, "short", "dM" }, { 2, "long", "dM" }, { 2, "transposed", "dM" },
        { 3, "short", "dS" }, { 3, "long", "dS" },
    };

    [Theory]
    [MemberData(nameof(BadAdjoints))]
    public void A_mis_shaped_adjoint_throws_naming_it_before_any_work(int parameter, string how, string adjoint)
    {
        Probe probe = GradientCases.ProbeOf("Mixed.F");
        object[] args = MixedArgs();
        object?[] d = probe.NewAdjoints(args, 5.0);
        d[parameter] = (d[parameter], how) switch
        {
            (double[] a, "short") => new double[a.Length - 1],
            (double[] a, _) => new double[a.Length + 1],
            (double[,] m, "short") => new double[m.GetLength(0), m.GetLength(1) - 1],
            (double[,] m, "long") => new double[m.GetLength(0) + 1, m.GetLength(1)],
            (double[,] m, _) => new double[m.GetLength(1) + 1, m.GetLength(0)],
            _ => throw new InvalidOperationException(),
        };
        ArgumentException e = Assert.Throws<ArgumentException>(() => probe.Gradient(args, d));
        Assert.Equal(adjoint, e.ParamName);
        // Nothing was written before the check: the well-shaped adjoints still hold what the caller put there.
        for (int i = 1; i <= 3; i++)
        {
            if (i != parameter) Assert.All(GradientCorrectnessTests.Flatten(d[i]), x => Assert.Equal(5.0, x));
        }
    }

    [Fact]
    public void A_too_short_input_throws_naming_it()
    {
        Probe probe = GradientCases.ProbeOf("Mixed.F");
        object[] args = MixedArgs();
        args[3] = new[] { 0.5, -0.25 }; // s: the method reads s[2]
        object?[] d = probe.NewAdjoints(args, 0.0);
        Assert.Equal("s", Assert.Throws<ArgumentException>(() => probe.Gradient(args, d)).ParamName);
    }

    [Fact]
    public void Inputs_longer_than_read_are_fine_and_their_unread_adjoints_are_zero()
    {
        Probe probe = GradientCases.ProbeOf("Mixed.F");
        object[] args = MixedArgs();
        args[1] = new[] { 0.2, -0.6, 4.0, 5.0 };
        args[2] = new[,] { { 0.3, -0.7, 8.0 }, { 1.1, 0.4, 8.0 }, { 8.0, 8.0, 8.0 } };
        object?[] d = probe.NewAdjoints(args, 1e3);
        probe.Gradient(args, d);
        double[] dV = (double[])d[1]!;
        Assert.Equal([0.0, 0.0], dV[2..]);
        var dM = (double[,])d[2]!;
        Assert.Equal([0.0, 0.0, 0.0, 0.0, 0.0], new[] { dM[0, 2], dM[1, 2], dM[2, 0], dM[2, 1], dM[2, 2] });
        // v.Length is 4 now, so df/dm[1,0] = 4: the length is read at run time, not assumed.
        Assert.Equal(4.0, dM[1, 0]);
        GradientCorrectnessTests.CheckPoint("F(longer inputs)", probe, args);
    }
}
