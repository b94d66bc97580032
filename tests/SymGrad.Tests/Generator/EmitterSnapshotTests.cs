using System.Collections.Immutable;
using SymGrad.Generators.Emitting;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;
using SymGrad.Generators.Parsing;
using SymGrad.Generators.Pipeline;

namespace SymGrad.Tests.Generator;

/// <summary>
/// The back end alone, from a hand-built model (no Roslyn, no front end): differentiation, optimisation and emission
/// of a small IR program with a branch. A change in the emitter shows here even when the front end would hide it.
/// </summary>
public class EmitterSnapshotTests
{
    private static EquatableArray<T> Array<T>(params T[] items) where T : IEquatable<T> => new(ImmutableArray.Create(items));

    /// <summary>f(x, v) = x > 0 ? x * v[0] : Exp(x) - v[1], built by hand as the front end would lower it.</summary>
    private static MethodSpec HandBuiltSpec()
    {
        var thenBlock = new Block(Array<Node>(new BinaryInstr(4, ValType.Double, Op.Mul, 0, 2) { Origin = 1 }));
        var elseBlock = new Block(Array<Node>(
            new UnaryInstr(5, ValType.Double, Op.Exp, 0) { Origin = 2 },
            new BinaryInstr(6, ValType.Double, Op.Sub, 5, 3) { Origin = 2 }));
        var body = new Block(Array<Node>(
            new ParamInstr(0, ValType.Double, 0),
            new ConstInstr(1, ValType.Double, 0.0),
            new ConstInstr(9, ValType.Int, 0),
            new ConstInstr(10, ValType.Int, 1),
            new LoadInstr(2, 1, 9, -1),
            new LoadInstr(3, 1, 10, -1),
            new CompareInstr(7, Op.Gt, 0, 1) { Origin = 0 },
            new IfInstr(7, thenBlock, elseBlock, Array(new Phi(8, ValType.Double, 4, 6, "y"))) { Origin = 0 }));
        var ir = new MethodIr(
            Array(new ParamSpec("x", SymGrad.Generators.Ir.ParamKind.Double, false, 0, 0), new ParamSpec("v", SymGrad.Generators.Ir.ParamKind.Array, false, 2, 0)),
            body, Return: 8, NextId: 11,
            Array("line 1: if (x > 0)", "line 2: y = x * v[0];", "line 3: y = Math.Exp(x) - v[1];"));
        return new MethodSpec("Demo", Array(new TypeDecl("class", "Hand", "")), "F", "public", ir);
    }

    [Fact]
    public void Hand_built_model_emits_gradient_and_tape()
    {
        MethodSpec spec = HandBuiltSpec();
        EmittedMethod emitted = MethodPipeline.Run(spec, CancellationToken.None);
        Assert.Null(emitted.Error);
        Assert.Equal("Demo.Hand.g.cs", emitted.HintName);
        Snapshot.Match(Emitter.File(emitted.Type, [emitted.Members]), "HandBuilt");
    }

    [Fact]
    public void Hand_built_model_compiles_and_differentiates()
    {
        MethodSpec spec = HandBuiltSpec();
        EmittedMethod members = MethodPipeline.Run(spec, CancellationToken.None);
        string generated = Emitter.File(members.Type, [members.Members]);
        const string primal = """
            namespace Demo;
            public static partial class Hand
            {
                public static double F(double x, double[] v) => x > 0 ? x * v[0] : System.Math.Exp(x) - v[1];
            }
            """;
        var compilation = GeneratorHarness.Compile(primal, generated);
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning && d.Id != "CS1591"));
        image.Position = 0;
        using var loaded = new LoadedAssembly(image);
        var gradient = loaded.Method("Demo.Hand", "FGradient");
        foreach (double x in new[] { 1.5, -0.5 })
        {
            double[] v = [2.0, 3.0];
            double[] dV = [7.0, 7.0];
            // FGradient(double x, double[] v, ref double dX, Span<double> dV): call through a typed delegate.
            double value = GradientCall(gradient, x, v, out double dX, dV);
            Assert.Equal(x > 0 ? x * 2.0 : Math.Exp(x) - 3.0, value);
            Assert.Equal(x > 0 ? 2.0 : Math.Exp(x), dX);
            Assert.Equal(x > 0 ? [x, 0.0] : new[] { 0.0, -1.0 }, dV);
        }
    }

    private delegate double GradientFn(double x, double[] v, ref double dX, Span<double> dV);

    private static double GradientCall(System.Reflection.MethodInfo method, double x, double[] v, out double dX, Span<double> dV)
    {
        var call = method.CreateDelegate<GradientFn>();
        dX = 123.0;
        return call(x, v, ref dX, dV);
    }

    /// <summary>
    /// f(v, n) = v[n] * v[n] + sin(v[0]), built by hand: a load at a computed index (an int parameter), which the
    /// front end does not make yet. Its adjoint stays memory: zeroed, then added to at the same computed index.
    /// </summary>
    private static MethodSpec ComputedIndexSpec()
    {
        var body = new Block(Array<Node>(
            new ParamInstr(0, ValType.Int, 1),
            new LoadInstr(1, 0, 0, -1) { Origin = 0 },
            new BinaryInstr(2, ValType.Double, Op.Mul, 1, 1) { Origin = 0 },
            new ConstInstr(3, ValType.Int, 0),
            new LoadInstr(4, 0, 3, -1) { Origin = 0 },
            new UnaryInstr(5, ValType.Double, Op.Sin, 4) { Origin = 0 },
            new BinaryInstr(6, ValType.Double, Op.Add, 2, 5) { Origin = 0 }));
        var ir = new MethodIr(
            Array(new ParamSpec("v", SymGrad.Generators.Ir.ParamKind.Array, false, 1, 0), new ParamSpec("n", SymGrad.Generators.Ir.ParamKind.Int, false, 0, 0)),
            body, Return: 6, NextId: 7, Array("line 1: return v[n] * v[n] + Math.Sin(v[0]);"));
        return new MethodSpec("Demo", Array(new TypeDecl("class", "Indexed", "")), "G", "public", ir);
    }

    [Fact]
    public void Adjoint_at_a_computed_index_is_accumulated_in_memory()
    {
        EmittedMethod members = MethodPipeline.Run(ComputedIndexSpec(), CancellationToken.None);
        Assert.Null(members.Error);
        string generated = Emitter.File(members.Type, [members.Members]);
        Snapshot.Match(generated, "HandBuiltComputedIndex");
        const string primal = """
            namespace Demo;
            public static partial class Indexed
            {
                public static double G(double[] v, int n) => v[n] * v[n] + System.Math.Sin(v[0]);
            }
            """;
        var compilation = GeneratorHarness.Compile(primal, generated);
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        using var loaded = new LoadedAssembly(image);
        var call = loaded.Method("Demo.Indexed", "GGradient").CreateDelegate<IndexedGradientFn>();
        double[] v = [0.5, -2.0, 3.0];
        foreach (int n in new[] { 0, 2 })
        {
            double[] dV = [7.0, 7.0, 7.0]; // garbage: the adjoint is overwritten, not added to
            double value = call(v, n, dV);
            Assert.Equal(v[n] * v[n] + Math.Sin(v[0]), value);
            double[] expected = [Math.Cos(v[0]), 0.0, 0.0];
            expected[n] += 2 * v[n];
            Assert.Equal(expected, dV);
        }
        // Out of range, the gradient throws where the method does.
        Assert.Throws<IndexOutOfRangeException>(() => call(v, 3, new double[3]));
    }

    private delegate double IndexedGradientFn(double[] v, int n, Span<double> dV);
}
