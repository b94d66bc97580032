using System.Globalization;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace SymGrad.Tests.Generator;

/// <summary>
/// Hostile and unusual model objects held in fields (issue 14, item 2): each case ends either in generated code that
/// compiles with no SG diagnostic and whose gradient, written into the gradient instance's objects, matches central
/// finite differences on every weight reachable from the model (and the tape twin), or in exactly the SG diagnostics
/// expected, on the right syntax; never in a generator exception, an SG0099, generated code that does not compile, or
/// a gradient that is silently wrong.
/// </summary>
public class NestedModelRobustnessTests
{
    private const string Usings = "using System;\nusing SymGrad;\n\n";


    /// <summary>Generated code that compiles, with no SG diagnostic.</summary>
    private static GeneratorRun Clean(string source) => GeneratorHarness.RunClean(Usings + source);

    // ----- Reflection over the object graph: every double (or float) reachable from a model, by its path. -----

    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    private static IEnumerable<FieldInfo> InstanceFields(Type t)
    {
        var chain = new List<Type>();
        for (Type? b = t; b is not null && b != typeof(object) && b != typeof(ValueType); b = b.BaseType) chain.Insert(0, b);
        return chain.SelectMany(b => b.GetFields(Instance));
    }

    /// <summary>A field's name as the source writes it (an auto-property's backing field as the property).</summary>
    private static string Shown(FieldInfo f) => f.Name.StartsWith('<') ? f.Name[1..f.Name.IndexOf('>', StringComparison.Ordinal)] : f.Name;

    private static FieldInfo FieldOf(Type t, string name) =>
        InstanceFields(t).LastOrDefault(f => Shown(f) == name) ?? throw new InvalidOperationException($"No field {name} in {t.Name}");

    private static object? Member(object o, string name) => FieldOf(o.GetType(), name).GetValue(o);

    private static void SetMember(object o, string name, object? value) => FieldOf(o.GetType(), name).SetValue(o, value);

    /// <summary>"L1.W[0,1]" as its segments ("L1", "W[0,1]").</summary>
    private static (string Name, int[] Index) Segment(string segment)
    {
        int open = segment.IndexOf('[', StringComparison.Ordinal);
        return open < 0 ? (segment, [])
            : (segment[..open], segment[(open + 1)..^1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray());
    }

    private static double Get(object root, string path)
    {
        object o = root;
        string[] segments = path.Split('.');
        for (int k = 0; k < segments.Length - 1; k++) o = Member(o, segments[k])!;
        (string name, int[] index) = Segment(segments[^1]);
        object value = Member(o, name)!;
        return Convert.ToDouble(index.Length == 0 ? value : ((Array)value).GetValue(index), CultureInfo.InvariantCulture);
    }

    /// <summary>Sets a leaf; a struct on the way is written back into its holder (boxes are changed in place).</summary>
    private static void Set(object root, string path, double v) => Set(root, path.Split('.'), 0, v);

    private static void Set(object o, string[] segments, int k, double v)
    {
        (string name, int[] index) = Segment(segments[k]);
        FieldInfo f = FieldOf(o.GetType(), name);
        if (k < segments.Length - 1)
        {
            object child = f.GetValue(o)!;
            Set(child, segments, k + 1, v);
            if (f.FieldType.IsValueType) f.SetValue(o, child);
            return;
        }
        if (index.Length == 0)
        {
            f.SetValue(o, Convert.ChangeType(v, f.FieldType, CultureInfo.InvariantCulture));
            return;
        }
        var array = (Array)f.GetValue(o)!;
        array.SetValue(Convert.ChangeType(v, array.GetType().GetElementType()!, CultureInfo.InvariantCulture), index);
    }

    /// <summary>
    /// The paths of every double or float reachable from <paramref name="root"/> through instance fields: scalars,
    /// array elements, and the fields of class objects and structs of the source's assembly (each object once).
    /// </summary>
    private static List<string> Leaves(object root)
    {
        var leaves = new List<string>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Assembly own = root.GetType().Assembly;
        void Walk(object o, string prefix)
        {
            if (!o.GetType().IsValueType && !seen.Add(o)) return;
            foreach (FieldInfo f in InstanceFields(o.GetType()))
            {
                string path = prefix + Shown(f);
                Type t = f.FieldType;
                object? value = f.GetValue(o);
                if (t == typeof(double) || t == typeof(float)) leaves.Add(path);
                else if (value is double[] or float[]) leaves.AddRange(Enumerable.Range(0, ((Array)value).Length).Select(i => $"{path}[{i}]"));
                else if (value is double[,] or float[,])
                {
                    var m = (Array)value;
                    for (int i = 0; i < m.GetLength(0); i++)
                    {
                        for (int j = 0; j < m.GetLength(1); j++) leaves.Add($"{path}[{i},{j}]");
                    }
                }
                else if (value is not null && value.GetType().Assembly == own && !value.GetType().IsArray) Walk(value, path + ".");
            }
        }
        Walk(root, "");
        return leaves;
    }

    /// <summary>
    /// Loads a run, makes a model and a gradient instance (<paramref name="make"/>, or the parameterless
    /// constructor of <c>Net</c>), sets every weight of the model to a random value and every one of the gradient to a stale 1e3,
    /// calls <c>model.<paramref name="method"/>Gradient(args, gradient)</c> and checks: the value is the method's;
    /// each weight's derivative, in the same path of the gradient, matches central differences of the method; the
    /// weights under <paramref name="constants"/> keep their stale 1e3 (no derivative, or never read); with
    /// <paramref name="tape"/>, the tape twin's leaves agree.
    /// </summary>
    private static void CheckGradient(GeneratorRun run, object[] args, string[] constants, Func<Assembly, object>? make = null,
        string method = "F", bool tape = true, double h = 1e-6, double tolerance = 1e-6, double valueTolerance = 1e-12)
    {
        using LoadedAssembly loaded = run.Load();
        object New() => (make ?? (a => Create(a, "Net")))(loaded.Assembly);
        object model = New(), gradient = New();
        Type net = model.GetType();
        var random = new Random(1);
        List<string> leaves = Leaves(model);
        foreach (string leaf in leaves) Set(model, leaf, Math.Round(random.NextDouble() * 1.6 - 0.8, 3));
        foreach (string leaf in Leaves(gradient)) Set(gradient, leaf, 1e3);
        bool Constant(string leaf) => constants.Any(c => leaf == c || leaf.StartsWith(c + ".", StringComparison.Ordinal) || leaf.StartsWith(c + "[", StringComparison.Ordinal));
        Assert.All(constants, c => Assert.Contains(leaves, l => l == c || l.StartsWith(c + ".", StringComparison.Ordinal) || l.StartsWith(c + "[", StringComparison.Ordinal)));

        MethodInfo value = net.GetMethod(method)!, gradientMethod = net.GetMethod(method + "Gradient") ?? throw new InvalidOperationException($"No {method}Gradient");
        double F() => Convert.ToDouble(value.Invoke(model, args), CultureInfo.InvariantCulture);
        double result = Convert.ToDouble(gradientMethod.Invoke(model, [.. args, gradient]), CultureInfo.InvariantCulture);
        double at0 = F();
        Assert.True(Math.Abs(result - at0) <= valueTolerance * (1 + Math.Abs(at0)), $"the gradient's value {result} is not the method's {at0}");

        var failures = new List<string>();
        bool anyLarge = false;
        foreach (string leaf in leaves)
        {
            double got = Get(gradient, leaf);
            if (Constant(leaf))
            {
                if (got != 1e3) failures.Add($"{leaf}: a constant, but the gradient wrote {got} into it");
                continue;
            }
            double at = Get(model, leaf);
            Set(model, leaf, at + h);
            double up = F();
            Set(model, leaf, at - h);
            double down = F();
            Set(model, leaf, at);
            double difference = (up - down) / (2 * h);
            anyLarge |= Math.Abs(difference) > 1e-2;
            if (!(Math.Abs(got - difference) <= tolerance * (1 + Math.Abs(difference)))) failures.Add($"{leaf}: gradient {got}, central differences {difference}");
        }
        Assert.True(failures.Count == 0, "Wrong derivatives:\n" + string.Join("\n", failures));
        Assert.True(anyLarge, "every derivative is (close to) 0: the case checks nothing");
        if (tape) CheckTape(net, method, model, gradient, args, leaves);
    }

    /// <summary>
    /// The tape twin <c>FTape(leaves of the differentiated fields, args)</c>: each leaf argument is the field whose
    /// path, dots as underscores, is its name; its value is the method's and each leaf's Grad the gradient's.
    /// </summary>
    private static void CheckTape(Type net, string method, object model, object gradient, object[] args, List<string> leaves)
    {
        MethodInfo tape = net.GetMethod(method + "Tape") ?? throw new InvalidOperationException($"No {method}Tape");
        var holders = leaves.Select(l => l.Contains('[', StringComparison.Ordinal) ? l[..l.IndexOf('[', StringComparison.Ordinal)] : l).Distinct().ToList();
        ParameterInfo[] parameters = tape.GetParameters();
        var arguments = new object[parameters.Length];
        var read = new List<(string Holder, object Leaves)>();
        int own = 0;
        for (int i = 0; i < parameters.Length; i++)
        {
            Type t = parameters[i].ParameterType;
            if (t != typeof(Value) && t != typeof(Value[]) && t != typeof(Value[,]))
            {
                arguments[i] = args[own++];
                continue;
            }
            string holder = Assert.Single(holders, h => h.Replace('.', '_') == parameters[i].Name);
            object data = Member(Owner(model, holder), holder.Split('.')[^1])!;
            object leavesOf = data switch
            {
                double d => new Value(d),
                double[] a => Value.Leaves(a),
                double[,] m => Value.Leaves(m),
                _ => throw new InvalidOperationException($"{holder} is a {data.GetType()}"),
            };
            arguments[i] = leavesOf;
            read.Add((holder, leavesOf));
        }
        Assert.Equal(args.Length, own);
        var loss = (Value)tape.Invoke(model, arguments)!;
        Assert.Equal(Convert.ToDouble(net.GetMethod(method)!.Invoke(model, args), CultureInfo.InvariantCulture), loss.Data, 1e-12);
        loss.Backward();
        foreach ((string holder, object leavesOf) in read)
        {
            switch (leavesOf)
            {
                case Value v:
                    Assert.Equal(Get(gradient, holder), v.Grad, 1e-12);
                    break;
                case Value[] a:
                    for (int i = 0; i < a.Length; i++) Assert.Equal(Get(gradient, $"{holder}[{i}]"), a[i].Grad, 1e-12);
                    break;
                case Value[,] m:
                    for (int i = 0; i < m.GetLength(0); i++)
                    {
                        for (int j = 0; j < m.GetLength(1); j++) Assert.Equal(Get(gradient, $"{holder}[{i},{j}]"), m[i, j].Grad, 1e-12);
                    }
                    break;
            }
        }
    }

    private static object Create(Assembly assembly, string type) =>
        Activator.CreateInstance(assembly.GetType(type) ?? throw new InvalidOperationException($"No type {type}"))!;

    /// <summary>The object holding the last field of a path.</summary>
    private static object Owner(object root, string path)
    {
        object o = root;
        string[] segments = path.Split('.');
        for (int k = 0; k < segments.Length - 1; k++) o = Member(o, segments[k])!;
        return o;
    }

    // ----- Sources -----

    /// <summary>A layer: a weight vector and a bias, one tanh unit.</summary>
    private const string Layer = """
        public sealed partial class Layer
        {
            public double[] W = new double[3];
            public double B;
            [Differentiable]
            public double Unit(double[] x)
            {
                double a = B;
                for (int k = 0; k < x.Length; k++) a += W[k] * x[k];
                return Math.Tanh(a);
            }
        }

        """;

    private static readonly double[] X3 = [0.3, -0.7, 0.9];

    /// <summary>A case that must compile with no SG diagnostic and get the right gradient.</summary>
    private sealed record Good(string Source, object[] Args, string[] Constants, Func<Assembly, object>? Make = null, bool Tape = true,
        double H = 1e-6, double Tolerance = 1e-6, double ValueTolerance = 1e-12);

    private static readonly Dictionary<string, Good> GoodCases = new()
    {
        // The same layer type in two fields, its method called on both (and on a [NoDerivative] third).
        ["same layer type in two fields"] = new(Layer + """
            public sealed partial class Net
            {
                public Layer A = new();
                public Layer C = new();
                [NoDerivative] public Layer Frozen = new();
                [Differentiable]
                public double F([NoDerivative] double[] x) => A.Unit(x) * C.Unit(x) + A.Unit(x) + Frozen.Unit(x) * C.B;
            }
            """, [X3], ["Frozen"]),
        // A layer method calling another method of the same layer on this (implicitly and as this.Pre).
        ["layer method calling a method of its own layer"] = new("""
            public sealed partial class Layer
            {
                public double[] W = new double[3];
                public double B;
                [Differentiable] public double Pre(double[] x) { double a = this.B; for (int k = 0; k < x.Length; k++) a += W[k] * x[k]; return a; }
                [Differentiable] public double Unit(double[] x) => Math.Tanh(Pre(x)) + this.Pre(x) * B;
            }
            public sealed partial class Net
            {
                public Layer L1 = new();
                [Differentiable]
                public double F([NoDerivative] double[] x) => L1.Unit(x) * L1.Unit(x);
            }
            """, [X3], []),
        // Net -> Stack -> Block -> Layer: each level's method calls the next level's on its field.
        ["four levels of model objects, each calling the next"] = new(Layer + """
            public sealed partial class Block { public Layer Inner = new(); public double Gain; [Differentiable] public double Forward(double[] x) => Gain * Inner.Unit(x); }
            public sealed partial class Stack { public Block Top = new(); public double Scale; [Differentiable] public double Forward(double[] x) => Scale * Top.Forward(x) + Top.Inner.B; }
            public sealed partial class Net
            {
                public Stack S = new();
                public double Bias;
                [Differentiable]
                public double F([NoDerivative] double[] x) { double z = S.Forward(x) + Bias + S.Top.Inner.W[1]; return z * z; }
            }
            """, [X3], []),
        // A layer's fields read directly (L1.W[0], this.L1.B) and through its method.
        ["layer fields read directly and through its method"] = new(Layer + """
            public sealed partial class Net
            {
                public Layer L1 = new();
                [Differentiable]
                public double F([NoDerivative] double[] x) => L1.W[0] * L1.Unit(x) + this.L1.W[2] * this.L1.B + L1.Unit(x);
            }
            """, [X3], []),
        // A model holding another instance of its own type, calling a method on it.
        ["a field of the model's own type"] = new("""
            public sealed partial class Net
            {
                public double[] W = new double[2];
                public Net? Other;
                [Differentiable] public double G([NoDerivative] double x) => W[0] * x + W[1] * W[1];
                [Differentiable] public double F([NoDerivative] double x) => G(x) * Other!.G(x) + Other!.W[1];
            }
            """, [0.7], [], a => WithOther(a)),
        // A readonly layer field (the arrays it holds can still be written); a readonly array in the layer is a constant.
        ["readonly layer field, readonly table in the layer"] = new("""
            public sealed partial class Layer
            {
                public double[] W = new double[3];
                public readonly double[] Table = [0.5, -1.0, 2.0];
                [Differentiable] public double Unit(double[] x) { double a = 0; for (int k = 0; k < x.Length; k++) a += W[k] * Table[k] * x[k]; return Math.Tanh(a); }
            }
            public sealed partial class Net
            {
                public readonly Layer L1 = new();
                [Differentiable]
                public double F([NoDerivative] double[] x) => L1.Unit(x) + L1.W[0] * L1.Table[1];
            }
            """, [X3], ["L1.Table"]),
        // int fields (a loop bound, an index) and double scalars in a layer; W[2] is never read (its derivative is 0).
        ["int and double scalar fields of a layer"] = new("""
            public sealed partial class Layer
            {
                public int N = 2;
                public int Pick = 3;
                public double Gain = 1.0;
                public double[] W = new double[4];
                [Differentiable] public double Unit(double[] x) { double a = W[Pick]; for (int k = 0; k < N; k++) a += W[k] * x[k]; return Gain * Math.Tanh(a); }
            }
            public sealed partial class Net
            {
                public Layer L1 = new();
                [Differentiable]
                public double F([NoDerivative] double[] x) => L1.Unit(x) * L1.Gain + L1.N;
            }
            """, [X3], []),
        // [NoDerivative] fields inside a differentiated layer: constants, their gradient fields left alone.
        ["[NoDerivative] fields inside a differentiated layer"] = new("""
            public sealed partial class Layer
            {
                public double[] W = new double[3];
                [NoDerivative] public double[] Mask = new double[3];
                [NoDerivative] public double Temperature = 2;
                [Differentiable] public double Unit(double[] x) { double a = 0; for (int k = 0; k < x.Length; k++) a += W[k] * Mask[k] * x[k]; return Math.Tanh(a / Temperature); }
            }
            public sealed partial class Net
            {
                public Layer L1 = new();
                [Differentiable]
                public double F([NoDerivative] double[] x) => L1.Unit(x) + L1.Mask[0] * L1.W[0];
            }
            """, [X3], ["L1.Mask", "L1.Temperature"]),
        // Fields declared in base classes: of the layer (B) and of the model (L0, Bias).
        ["fields of base classes of the layer and of the model"] = new("""
            public abstract class LayerBase { public double[] B = new double[2]; }
            public sealed partial class Layer : LayerBase
            {
                public double[] W = new double[2];
                [Differentiable] public double Unit(double x) => Math.Tanh(W[0] * x + B[0]) + W[1] * B[1];
            }
            public class NetBase { public Layer L0 = new(); public double Bias; }
            public sealed partial class Net : NetBase
            {
                public Layer L1 = new();
                [Differentiable]
                public double F([NoDerivative] double x) => L0.Unit(x) * L1.Unit(x) + L1.B[1] + Bias * L0.B[0];
            }
            """, [0.6], []),
        // The layer class nested inside the model class.
        ["a layer class nested in the model class"] = new("""
            public sealed partial class Net
            {
                public sealed partial class Layer
                {
                    public double[] W = new double[2];
                    [Differentiable] public double Unit(double x) => Math.Sin(W[0] * x) * W[1];
                }
                public Layer L1 = new();
                [Differentiable]
                public double F([NoDerivative] double x) => L1.Unit(x) * L1.W[0];
            }
            """, [0.9], []),
        // A generic model class holding a (non-generic) layer.
        ["a generic model class holding a layer"] = new(Layer + """
            public sealed partial class Net<T>
            {
                public Layer L1 = new();
                [Differentiable]
                public double F([NoDerivative] double[] x) => L1.Unit(x) * L1.B;
            }
            """, [X3], [], a => Activator.CreateInstance(a.GetType("Net`1")!.MakeGenericType(typeof(int)))!),
        // Runtime sizes: double[,] weights sized by a constructor, loops to W.GetLength(1), B.Length, W.Length.
        ["loops over layer fields at their runtime sizes"] = new("""
            public sealed partial class Layer
            {
                public double[,] W;
                public double[] B;
                public Layer(int o, int i) { W = new double[o, i]; B = new double[o]; }
                [Differentiable] public double Unit(double[] x, int j) { double a = B[j]; for (int k = 0; k < W.GetLength(1); k++) a += W[j, k] * x[k]; return Math.Tanh(a); }
            }
            public sealed partial class Net
            {
                public Layer L1 = new(3, 2);
                public Layer L2 = new(1, 3);
                [Differentiable]
                public double F([NoDerivative] double[] x)
                {
                    double z = L2.B[0];
                    for (int j = 0; j < L1.B.Length; j++) z += L2.W[0, j] * L1.Unit(x, j);
                    for (int j = 0; j < L1.W.GetLength(0); j++) z += L1.W[j, L1.W.GetLength(1) - 1] * 0.5;
                    return z * z + L1.B.Length;
                }
            }
            """, [new[] { 0.4, -1.1 }], []),
        // Layer methods returning a tuple and a struct.
        ["layer methods returning a tuple and a struct"] = new("""
            public struct Pair { public double A; public double B; }
            public sealed partial class Layer
            {
                public double[] W = new double[2];
                [Differentiable] public (double A, double B) Both(double x) => (W[0] * x, W[1] * x * x);
                [Differentiable] public Pair Two(double x) => new Pair { A = W[0] * W[1], B = Math.Sin(W[1] * x) };
            }
            public sealed partial class Net
            {
                public Layer L1 = new();
                [Differentiable]
                public double F([NoDerivative] double x) { var (a, b) = L1.Both(x); Pair p = L1.Two(x); return a * b + p.A - p.B; }
            }
            """, [1.3], []),
        // A layer's arrays passed to a static [Differentiable] helper (also as its second argument).
        ["layer arrays passed to a static helper"] = new(Layer + """
            public static partial class Helpers { [Differentiable] public static double Dot(double[] w, double[] x) { double s = 0; for (int k = 0; k < x.Length; k++) s += w[k] * x[k]; return s; } }
            public sealed partial class Net
            {
                public Layer L1 = new();
                public Layer L2 = new();
                [Differentiable]
                public double F([NoDerivative] double[] x) => Math.Tanh(Helpers.Dot(L1.W, x)) * Helpers.Dot(L2.W, L1.W) + L1.Unit(x);
            }
            """, [X3], ["L2.B"]), // L2.B is never read: no input, its gradient field left alone
        // Default and named arguments of a layer method.
        ["default and named arguments of a layer method"] = new("""
            public sealed partial class Layer
            {
                public double[] W = new double[3];
                [Differentiable] public double Unit(double x, int j = 1, double scale = 2.0) => scale * W[j] * x;
            }
            public sealed partial class Net
            {
                public Layer L1 = new();
                [Differentiable]
                public double F([NoDerivative] double x) => L1.Unit(x) * L1.Unit(j: 2, x: x * x) + L1.Unit(x, scale: 0.5, j: 0);
            }
            """, [0.8], []),
        // A float model and layer.
        ["float layer in a float model"] = new("""
            public sealed partial class Layer
            {
                public float[] W = new float[3];
                public float B;
                [Differentiable] public float Unit(float[] x) { float a = B; for (int k = 0; k < x.Length; k++) a += W[k] * x[k]; return MathF.Tanh(a); }
            }
            public sealed partial class Net
            {
                public Layer L1 = new();
                [Differentiable]
                public float F([NoDerivative] float[] x) => L1.Unit(x) * L1.B;
            }
            """, [new[] { 0.3f, -0.7f, 0.9f }], [], Tape: false, H: 1e-2, Tolerance: 3e-3, ValueTolerance: 1e-6),
        // A layer holding the next layer: L1.Chain reads L1.W and L1.Next.W, L1.Next.Chain reads L1.Next.W and L1.Next.Next.W.
        ["a layer whose method calls a method of the layer it holds"] = new("""
            public sealed partial class Layer
            {
                public double W;
                public Layer? Next;
                [Differentiable] public double Unit(double x) => W * x;
                [Differentiable] public double Chain(double x) => Next!.Unit(Unit(x));
            }
            public sealed partial class Net
            {
                public Layer L1 = new();
                [Differentiable]
                public double F([NoDerivative] double x) => L1.Chain(x) * L1.Next!.Chain(x);
            }
            """, [0.9], [], a => Chain(a)),
        // Parameters of a layer method named like the model's field, a path local (L1_W) and the gradient argument.
        ["layer method parameters named L1_W, Bias and gradient"] = new("""
            public sealed partial class Layer
            {
                public double[] W = new double[2];
                [Differentiable] public double Unit(double[] L1_W, double Bias, double gradient) => W[0] * L1_W[0] + W[1] * Bias * gradient;
            }
            public sealed partial class Net
            {
                public Layer L1 = new();
                public double Bias;
                [Differentiable]
                public double F([NoDerivative] double[] x) => L1.Unit(x, Bias, x[1]) * Bias;
            }
            """, [X3], []),
        // A model field named like the adjoint local of a layer's field (dL1_W).
        ["a model field named dL1_W"] = new(Layer + """
            public sealed partial class Net
            {
                public Layer L1 = new();
                public double[] dL1_W = new double[3];
                [Differentiable]
                public double F([NoDerivative] double[] x) => L1.Unit(x) * dL1_W[0] + L1.W[1] * dL1_W[2];
            }
            """, [X3], []), // dL1_W[1] is not read: its derivative, 0, is written
        // The method's own parameter named gradient: the gradient instance argument takes another name.
        ["a parameter named gradient"] = new(Layer + """
            public sealed partial class Net
            {
                public Layer L1 = new();
                [Differentiable]
                public double F([NoDerivative] double[] gradient) => L1.Unit(gradient) * L1.B;
            }
            """, [X3], []),
        // A model field literally named L1_W beside a layer L1 with a field W: the layer's is read into L1_W_. (The
        // tape twin's leaves are then not named after their paths alone: the gradient is checked without it.)
        ["a model field named L1_W beside L1.W"] = new(Layer + """
            public sealed partial class Net
            {
                public Layer L1 = new();
                public double[] L1_W = new double[3];
                [Differentiable]
                public double F([NoDerivative] double[] x) => L1.Unit(x) * L1_W[0] + L1.W[1] * L1_W[2];
            }
            """, [X3], [], Tape: false),
        // Two paths with the same underscored name: L.A_W and L_A.W are the locals L_A_W and L_A_W_.
        ["paths L.A_W and L_A.W"] = new("""
            public sealed partial class Layer
            {
                public double W;
                public double A_W;
                [Differentiable] public double Unit(double x) => W * x + A_W * x * x;
            }
            public sealed partial class Net
            {
                public Layer L = new();
                public Layer L_A = new();
                [Differentiable]
                public double F([NoDerivative] double x) => L.Unit(x) * L_A.Unit(x);
            }
            """, [0.7], [], Tape: false),
    };

    public static TheoryData<string> GoodNames => new(GoodCases.Keys);

    [Theory]
    [MemberData(nameof(GoodNames))]
    public void Compiles_cleanly_and_every_weight_gets_its_derivative_in_the_gradients_objects(string name)
    {
        Good c = GoodCases[name];
        CheckGradient(Clean(c.Source), c.Args, c.Constants, c.Make, tape: c.Tape, h: c.H, tolerance: c.Tolerance, valueTolerance: c.ValueTolerance);
    }

    /// <summary>A Net whose Other holds a second Net (whose own Other is null).</summary>
    private static object WithOther(Assembly a)
    {
        object net = Create(a, "Net");
        SetMember(net, "Other", Create(a, "Net"));
        return net;
    }

    /// <summary>A Net whose L1 holds L1.Next, which holds L1.Next.Next.</summary>
    private static object Chain(Assembly a)
    {
        object net = Create(a, "Net"), l1 = Member(net, "L1")!, next = Create(a, "Layer");
        SetMember(l1, "Next", next);
        SetMember(next, "Next", Create(a, "Layer"));
        return net;
    }

    // ----- Diagnostics -----

    public static TheoryData<string, string, string[]> Refused => new()
    {
        // A layer in an auto-property is not followed; the message must not claim that the [Differentiable] Unit is not
        // [Differentiable] (it does: "'Layer.Unit(double[])' is neither [Differentiable], nor ...").
        {
            "layer in a property, its method called",
            Layer + "public sealed partial class Net { public Layer L1 { get; set; } = new(); [Differentiable] public double F([NoDerivative] double[] x) => L1.Unit(x); }",
            ["SG0011|L1.Unit(x)|The call of 'Unit' on 'L1', which is no field of this holding a model object"]
        },
        {
            "layer in a property, its field read",
            Layer + "public sealed partial class Net { public Layer L1 { get; set; } = new(); [Differentiable] public double F([NoDerivative] double[] x) => L1.B * x[0]; }",
            ["SG0011|L1.B|Reading the field 'L1.B' of another object or type"]
        },
        {
            "generic layer class",
            "public sealed partial class Layer<T> { public double[] W = new double[2]; [Differentiable] public double Unit(double x) => W[0] * x + W[1]; }\n"
            + "public sealed partial class Net { public Layer<int> L1 = new(); [Differentiable] public double F([NoDerivative] double x) => L1.Unit(x); }",
            ["SG0011|L1|Reading the field 'L1' of type 'Layer<int>'"]
        },
        {
            "a field of interface type",
            "public interface ILayer { double Unit(double x); }\n"
            + "public sealed partial class Layer : ILayer { public double W; [Differentiable] public double Unit(double x) => W * x; }\n"
            + "public sealed partial class Net { public ILayer L1 = new Layer(); [Differentiable] public double F([NoDerivative] double x) => L1.Unit(x); }",
            ["SG0011|L1|Reading the field 'L1' of type 'ILayer'"]
        },
        {
            "a layer that is a struct with a [Differentiable] method",
            "public partial struct SLayer { public double[] W; [Differentiable] public double Unit(double x) => W[0] * x; }\n"
            + "public sealed partial class Net { public SLayer L1 = new() { W = new double[1] }; [Differentiable] public double F([NoDerivative] double x) => L1.Unit(x); }",
            ["SG0001|Unit|instance method of the struct 'SLayer'", "SG0011|L1|Reading the field 'L1' of type 'SLayer'"]
        },
        {
            "a struct of numbers in a model field",
            "public struct Pair { public double A; public double B; }\n"
            + "public sealed partial class Net { public Pair L1; [Differentiable] public double F([NoDerivative] double x) => L1.A * x + L1.B; }",
            ["SG0011|L1|Reading the field 'L1' of type 'Pair'"]
        },
        {
            // The layer's own method gets SG0011 on P; the model's call of it should be SG0014 on the call, as for any
            // callee with an error of its own. Observed: the same SG0011 on P twice.
            "a struct of numbers in a layer field",
            "public struct Pair { public double A; public double B; }\n"
            + "public sealed partial class Layer { public Pair P; [Differentiable] public double Unit(double x) => P.A * x + P.B * P.B; }\n"
            + "public sealed partial class Net { public Layer L1 = new(); [Differentiable] public double F([NoDerivative] double x) => L1.Unit(x); }",
            ["SG0011|P|Reading the field 'P' of type 'Pair'", "SG0014|L1.Unit|error SG0011"]
        },
        {
            "a layer method writing its own field",
            "public sealed partial class Layer { public double[] W = new double[2]; [Differentiable] public double Unit(double x) { W[0] = x; return W[0] * W[1]; } }\n"
            + "public sealed partial class Net { public Layer L1 = new(); [Differentiable] public double F([NoDerivative] double x) => L1.Unit(x); }",
            ["SG0011|W[0] = x|Assigning to an element of the field 'W'", "SG0014|L1.Unit|error SG0011"]
        },
        {
            "a layer read into a local",
            Layer + "public sealed partial class Net { public Layer L1 = new(); [Differentiable] public double F([NoDerivative] double[] x) { Layer l = L1; return l.B * x[0]; } }",
            ["SG0011|l = L1|A local of type 'Layer'"]
        },
        {
            "a null-conditional read through a layer",
            Layer + "public sealed partial class Net { public Layer? L1 = new(); [Differentiable] public double F([NoDerivative] double[] x) => (L1?.B ?? 0) * x[0]; }",
            ["SG0011|L1?.B ?? 0|null-coalescing"]
        },
        {
            "a layer passed to a static method",
            Layer + "public static partial class Helpers { [Differentiable] public static double Apply(Layer l, double[] x) => l.B * x[0]; }\n"
            + "public sealed partial class Net { public Layer L1 = new(); [Differentiable] public double F([NoDerivative] double[] x) => Helpers.Apply(L1, x); }",
            ["SG0004|Layer l|Parameter 'l' has type 'Layer'", "SG0011|L1|Reading the field 'L1' of another object or type"]
        },
        {
            // Reported where the layer reads W (inside Layer.Unit), naming the path and the parameter.
            "a parameter named like a path local",
            Layer + "public sealed partial class Net { public Layer L1 = new(); [Differentiable] public double F([NoDerivative] double[] L1_W) => L1.Unit(L1_W); }",
            []
        },
        {
            "a double layer read in a float method",
            Layer + "public sealed partial class Net { public Layer L1 = new(); [Differentiable] public float F([NoDerivative] float x) => (float)L1.B * x; }",
            ["SG0019|L1.B|The field 'B' is double in the float method 'F'"]
        },
    };

    /// <summary>
    /// Exactly the expected SG diagnostics, in source order, each "id|located text|message part" (a message part
    /// starting with ! must not be in the message); the generated code, if any, has no problems.
    /// </summary>
    [Theory]
    [MemberData(nameof(Refused))]
    public void What_is_not_followed_is_exactly_these_diagnostics(string name, string source, string[] expected)
    {
        _ = name;
        GeneratorRun run = GeneratorHarness.RunOnAnything(Usings + source);
        Assert.True(run.SymGradDiagnostics.Count == expected.Length,
            $"expected {expected.Length} diagnostics, got:\n" + GeneratorRun.Describe(run.SymGradDiagnostics));
        for (int i = 0; i < expected.Length; i++)
        {
            string[] parts = expected[i].Split('|');
            Diagnostic d = run.SymGradDiagnostics[i];
            Assert.Equal(parts[0], d.Id);
            Assert.Equal(parts[1], run.LocatedText(d));
            if (parts[2].StartsWith('!')) Assert.DoesNotContain(parts[2][1..], GeneratorHarness.Message(d));
            else Assert.Contains(parts[2], GeneratorHarness.Message(d));
        }
    }

    [Fact]
    public void A_layer_class_that_is_not_partial_is_SG0002_for_its_own_gradient_and_the_models_gradient_is_still_right()
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything(Usings + Layer.Replace("public sealed partial class Layer", "public sealed class Layer", StringComparison.Ordinal) + """
            public sealed partial class Net
            {
                public Layer L1 = new();
                [Differentiable]
                public double F([NoDerivative] double[] x) => L1.Unit(x) * L1.B;
            }
            """);
        Diagnostic d = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal("SG0002", d.Id);
        Assert.Equal("Layer", run.LocatedText(d));
        Assert.Contains("gradient of 'Unit'", GeneratorHarness.Message(d));
        Assert.Contains(run.Sources.Keys, k => k.Contains("Net", StringComparison.Ordinal));
        CheckGradient(run, [X3], []);
    }

    /// <summary>
    /// A layer reading its own static readonly table (as a model may, ModelClassTests' Scale), once called on a field:
    /// inlined with the table read by its full name (it was refused with a false SG0014). A private table is SG0011
    /// on it: the model's generated code cannot read it.
    /// </summary>
    [Fact]
    public void A_layer_reading_its_own_static_table_is_inlined_with_the_table_as_constant_data()
    {
        GeneratorRun run = Clean("""
            public sealed partial class Layer
            {
                internal static readonly double[] Scale = [1.0, 0.5, 2.0];
                private const double K = 0.5;
                public double[] W = new double[3];
                [Differentiable] public double Unit(double[] x) { double a = K; for (int k = 0; k < x.Length; k++) a += W[k] * Scale[k] * x[k]; return Math.Tanh(a); }
            }
            public sealed partial class Net
            {
                public Layer L1 = new();
                [Differentiable]
                public double F([NoDerivative] double[] x) => L1.Unit(x);
            }
            """);
        CheckGradient(run, [X3], []);
        GeneratorRun hidden = GeneratorHarness.RunOnAnything(Usings + """
            public sealed partial class Layer
            {
                private static readonly double[] Scale = [1.0, 0.5, 2.0];
                public double[] W = new double[3];
                [Differentiable] public double Unit(double[] x) { double a = 0; for (int k = 0; k < x.Length; k++) a += W[k] * Scale[k] * x[k]; return Math.Tanh(a); }
            }
            public sealed partial class Net
            {
                public Layer L1 = new();
                [Differentiable]
                public double F([NoDerivative] double[] x) => L1.Unit(x);
            }
            """);
        Diagnostic d = Assert.Single(hidden.SymGradDiagnostics);
        Assert.Equal("SG0011", d.Id);
        Assert.Equal("Scale", hidden.LocatedText(d));
        Assert.StartsWith("Reading the field 'Scale' of Layer, which Net (where the gradient is generated) cannot see", GeneratorHarness.Message(d));
    }

    /// <summary>
    /// Found by this file, fixed: private fields of a layer (the usual way to keep weights) read by the layer's own method: the model's
    /// generated code reads this.L1._w, which it may not (CS0122). Expected: either it compiles and is right, or one
    /// SG diagnostic on the field read saying it must be accessible to the model.
    /// </summary>
    [Theory]
    [InlineData("public Layer L1 = new(); [Differentiable] public double F([NoDerivative] double x) => L1.Unit(x);")]
    [InlineData("[NoDerivative] public Layer Frozen = new(); public double W; [Differentiable] public double F([NoDerivative] double x) => W * Frozen.Unit(x);")]
    public void Private_fields_of_a_layer_give_compiling_code_or_a_diagnostic(string net)
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything(Usings + """
            public sealed partial class Layer
            {
                private double[] _w = [0.5, 2.0];
                internal double Bias;
                [Differentiable] public double Unit(double x) => Math.Tanh(_w[0] * x + Bias) + _w[1];
            }
            public sealed partial class Net
            {
            """ + net + "\n}\n");
        if (run.SymGradDiagnostics.Count == 0)
        {
            run.AssertCompilesCleanly();
            CheckGradient(run, [0.4], net.Contains("Frozen", StringComparison.Ordinal) ? ["Frozen"] : []);
            return;
        }
        Diagnostic d = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal("_w", run.LocatedText(d));
    }

    /// <summary>
    /// Found by this file, fixed: a model calling a method of its own type on a field of its own type (F calls Other.F): the generator
    /// follows Other, Other.Other, Other.Other.Other, ... forever (FieldReader.WithCallees keys its visited set by
    /// the growing prefix), so the build hangs. Expected: SG0010 (recursion) on the call.
    /// </summary>
    [Fact]
    public void A_method_calling_itself_on_a_field_of_its_own_type_is_SG0010_and_the_generator_finishes()
    {
        Microsoft.CodeAnalysis.CSharp.CSharpCompilation compilation = GeneratorHarness.Compile(Usings + """
            public sealed partial class Net
            {
                public double W;
                public Net? Other;
                [Differentiable] public double F([NoDerivative] double x) => W * x + Other!.F(x);
            }
            """);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        GeneratorDriver driver;
        Compilation output;
        try
        {
            driver = GeneratorHarness.NewDriver().RunGeneratorsAndUpdateCompilation(compilation, out output, out _, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("The generator did not finish in 15 s: it follows Other.Other.Other... without end");
            throw;
        }
        GeneratorRunResult result = Assert.Single(driver.GetRunResult().Results);
        Assert.Null(result.Exception);
        var run = new GeneratorRun(driver, result, output);
        Diagnostic d = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal("SG0010", d.Id);
        Assert.Equal("Other!.F", run.LocatedText(d));
    }

    /// <summary>
    /// Found by this file, fixed: a virtual [Differentiable] layer method, the layer field holding a derived layer that overrides it: the
    /// gradient inlines the base body, so it returns another value than the method and a wrong gradient, silently
    /// (with [Differentiable] on the override too, the generated UnitTape of the derived class hides the base's:
    /// CS0108, the build fails). Expected: an SG diagnostic on the virtual method or the call, or the right value.
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData("[Differentiable]")]
    public void A_virtual_layer_method_overridden_in_the_layer_held_is_refused_or_right(string attribute)
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything(Usings + """
            public partial class Layer
            {
                public double W;
                [Differentiable] public virtual double Unit(double x) => W * x;
            }
            public sealed partial class Scaled : Layer
            {
            """ + attribute + """
                public override double Unit(double x) => 3 * W * x * x;
            }
            public sealed partial class Net
            {
                public Layer L1 = new Scaled();
                [Differentiable]
                public double F([NoDerivative] double x) => L1.Unit(x);
            }
            """);
        if (run.SymGradDiagnostics.Count == 0)
        {
            run.AssertCompilesCleanly();
            CheckGradient(run, [0.7], []);
            return;
        }
        Assert.Contains(run.SymGradDiagnostics, d => run.LocatedText(d) is "Unit" or "L1.Unit");
    }

    // ----- Gradient instances and objects at run time -----

    private const string TwoLayers = Layer + """
        public sealed partial class Net
        {
            public Layer L1 = new();
            [NoDerivative] public Layer Frozen = new();
            [Differentiable]
            public double F([NoDerivative] double[] x) => L1.Unit(x) + Frozen.Unit(x) * L1.B;
        }
        """;

    private static readonly Lazy<LoadedAssembly> TwoLayersLoaded = new(() => Clean(TwoLayers).Load());

    private static object NewNet(int seed)
    {
        object net = Create(TwoLayersLoaded.Value.Assembly, "Net");
        var random = new Random(seed);
        foreach (string leaf in Leaves(net)) Set(net, leaf, random.NextDouble() - 0.5);
        return net;
    }

    private static double Gradient(object model, object? gradient) =>
        (double)model.GetType().GetMethod("FGradient")!.Invoke(model, [X3, gradient])!;

    private static Exception Thrown(object model, object? gradient) =>
        Assert.Throws<TargetInvocationException>(() => Gradient(model, gradient)).InnerException!;

    /// <summary>
    /// Found by this file, fixed: a gradient instance sharing the model's layer (gradient.L1 == model.L1, a shallow copy) or one of its
    /// arrays: the gradient is written over the model's own weights while they are still read, silently. Expected, as
    /// for gradient == this: an ArgumentException naming gradient, and the model's weights untouched.
    /// </summary>
    [Theory]
    [InlineData("layer")]
    [InlineData("array")]
    public void A_gradient_sharing_a_layer_or_array_with_the_model_is_refused(string shared)
    {
        object model = NewNet(3), gradient = NewNet(4);
        if (shared == "layer") SetMember(gradient, "L1", Member(model, "L1"));
        else SetMember(Member(gradient, "L1")!, "W", Member(Member(model, "L1")!, "W"));
        double[] weights = (double[])Member(Member(model, "L1")!, "W")!, before = [.. weights];
        Exception? e = Record.Exception(() => Gradient(model, gradient))?.InnerException;
        Assert.True(e is ArgumentException { ParamName: "gradient" } && e.Message.Contains("gradient.L1", StringComparison.Ordinal),
            $"no ArgumentException naming gradient.L1 ({e?.GetType().Name ?? "nothing"} thrown); model.L1.W was [{string.Join(", ", before)}], is now [{string.Join(", ", weights)}]");
        Assert.Equal(before, weights);
    }

    [Fact]
    public void Null_layers_and_layer_fields_are_exceptions_naming_them_and_a_frozen_layer_needs_no_gradient_object()
    {
        double[] x = X3;
        object model = NewNet(5), gradient = NewNet(6);
        double expected = (double)model.GetType().GetMethod("F")!.Invoke(model, [x])!;
        // A [NoDerivative] layer gets no gradient: the gradient instance need not hold one.
        SetMember(gradient, "Frozen", null);
        Assert.Equal(expected, Gradient(model, gradient));

        SetMember(Member(gradient, "L1")!, "W", null);
        var noArray = Assert.IsType<ArgumentException>(Thrown(model, gradient));
        Assert.Equal("gradient", noArray.ParamName);
        Assert.StartsWith("gradient.L1.W is null", noArray.Message, StringComparison.Ordinal);

        SetMember(gradient, "L1", null);
        var noLayer = Assert.IsType<ArgumentException>(Thrown(model, gradient));
        Assert.Equal("gradient", noLayer.ParamName);
        Assert.StartsWith("gradient.L1 is null", noLayer.Message, StringComparison.Ordinal);

        gradient = NewNet(6);
        SetMember(Member(model, "L1")!, "W", null);
        Assert.Equal("The field L1.W is null: the method reads it.", Assert.IsType<InvalidOperationException>(Thrown(model, gradient)).Message);
        model = NewNet(5);
        SetMember(model, "Frozen", null);
        Assert.Equal("The field Frozen is null: the method reads Frozen.W, Frozen.B.", Assert.IsType<InvalidOperationException>(Thrown(model, gradient)).Message);
    }

    /// <summary>
    /// A layer the method reads only on one branch: every layer the method can read must exist before the gradient
    /// starts (checked once at the top), even where the method itself would never touch it. Documented here as the
    /// current contract: F works, FGradient throws naming the layer.
    /// </summary>
    [Fact]
    public void A_layer_read_only_on_a_branch_not_taken_must_still_exist_for_the_gradient()
    {
        GeneratorRun run = Clean(Layer + """
            public sealed partial class Net
            {
                public Layer L1 = new();
                public Layer? L2;
                public int UseL2;
                [Differentiable]
                public double F([NoDerivative] double[] x) => UseL2 != 0 ? L2!.Unit(x) : L1.Unit(x);
            }
            """);
        using LoadedAssembly loaded = run.Load();
        object model = Create(loaded.Assembly, "Net"), gradient = Create(loaded.Assembly, "Net");
        _ = (double)model.GetType().GetMethod("F")!.Invoke(model, [X3])!;
        var e = Assert.IsType<InvalidOperationException>(Assert.Throws<TargetInvocationException>(() => model.GetType().GetMethod("FGradient")!.Invoke(model, [X3, gradient])).InnerException);
        Assert.Equal("The field L2 is null: the method reads L2.W, L2.B.", e.Message);
    }

    /// <summary>
    /// One object reached by two paths (weight tying: the model's A and C hold the same layer; or a layer holding its
    /// model, L1.Parent == this): each path's fields are inputs of their own, so the gradient would be written once per
    /// path (the scalars' last write winning). Refused at run time, naming both paths, before any work.
    /// </summary>
    [Theory]
    [InlineData("tied layers")]
    [InlineData("a layer holding its model")]
    public void One_object_reached_by_two_paths_is_refused_naming_both(string which)
    {
        string source = which == "tied layers"
            ? Layer + """
                public sealed partial class Net
                {
                    public Layer A;
                    public Layer C;
                    public Net() { A = new(); C = A; }
                    [Differentiable]
                    public double F([NoDerivative] double[] x) => A.Unit(x) * C.Unit(x) + A.B;
                }
                """
            : """
                public sealed partial class Layer
                {
                    public double W;
                    public Net? Parent;
                    [Differentiable] public double Unit(double x) => W * x * Parent!.Bias;
                }
                public sealed partial class Net
                {
                    public double Bias;
                    public Layer L1 = new();
                    public Net() { L1.Parent = this; }
                    [Differentiable]
                    public double F([NoDerivative] double x) => L1.Unit(x) + Bias;
                }
                """;
        LoadedAssembly loaded = Clean(source).Load();
        Type net = loaded.Assembly.GetType("Net")!;
        object model = Activator.CreateInstance(net)!, gradient = Activator.CreateInstance(net)!;
        object[] args = which == "tied layers" ? [X3, gradient] : [0.7, gradient];
        var e = Assert.IsType<InvalidOperationException>(Assert.Throws<TargetInvocationException>(() => net.GetMethod("FGradient")!.Invoke(model, args)).InnerException);
        Assert.Equal(which == "tied layers"
            ? "A and C are one object: tied layers are not supported yet (each field of the model is an input of its own); hold a copy in each field."
            : "this and L1.Parent are one object: tied layers are not supported yet (each field of the model is an input of its own); hold a copy in each field.", e.Message);
    }

    /// <summary>
    /// Found by this file, fixed (not only of layers): <c>W.Length</c> of a double[,] is lowered as <c>W.GetLength(0)</c> (the rows), not the
    /// element count C# gives, so the gradient's value and derivatives are silently wrong (here 3 for a 3 x 2 W, where
    /// the method has 6). The same for a double[,] parameter of a static method and a field of the model.
    /// </summary>
    [Theory]
    [InlineData("L1.W")]
    [InlineData("W")]
    public void The_Length_of_a_two_dimensional_field_is_its_element_count(string w)
    {
        GeneratorRun run = Clean($$"""
            public sealed partial class Layer { public double[,] W = new double[3, 2]; }
            public sealed partial class Net
            {
                public Layer L1 = new();
                public double[,] W = new double[3, 2];
                [Differentiable]
                public double F([NoDerivative] double x) => {{w}}.Length * {{w}}[0, 0] * x + {{w}}[2, 1];
            }
            """);
        CheckGradient(run, [0.7], w == "W" ? ["L1.W"] : ["W"]);
    }
}
