using System.Text;
using SymGrad.Tests.Generator;

namespace SymGrad.Tests.Fuzz;

/// <summary>
/// Supported constructs that the random programs do not produce, each as a small method of x (and int n = 2): the
/// generated gradient equals the tape's (1e-12) and central finite differences (1e-6), and returns the method's own
/// value, at a few points away from the method's kinks.
/// </summary>
public class EdgeConstructTests
{
    public static readonly Dictionary<string, string> Bodies = new()
    {
        ["two loop variables"] = "double s = 0; for (int i = 0, j = 3; i < 3; i++, j--) s += x * i * j + Math.Sin(x * j); return s;",
        ["assignment in a conditional"] = "double a = 0; double b = x > 0 ? (a = x * 2) : (a = -x); return a * b + a;",
        ["compound assignment as a value"] = "double a = x; double b = (a += 1) * 2; return a * b;",
        ["postfix and prefix increments"] = "double a = x; double b = a++ * 3; double c = ++a; return a * b + c;",
        ["two-dimensional local array"] = "double[,] m = new double[2, 3]; m[0, 1] = x; m[1, 2] = x * x; m[1, 0] += m[0, 1] * 3; return m[0, 1] * m[1, 2] + m[1, 0];",
        ["initialised two-dimensional array"] = "double[,] m = { { x, 2 * x }, { x * x, 1 } }; return m[0, 1] * m[1, 0] + m[1, 1];",
        ["collection expression in a span"] = "Span<double> s = [x, x * 2]; s[1] += s[0]; s[0] *= s[1]; return s[1] + s[0];",
        ["length of a local array"] = "double[] a = new double[3]; a[a.Length - 1] = x; return x * a.Length + a[2];",
        ["else-if chain"] = "if (x > 1) return 1 + x; else if (x > 0) return x * x; else return -x;",
        ["bool local"] = "bool big = x > 1; bool small = !big && x < -1; return big ? x : small ? -x * x : Math.Sin(x);",
        ["declared then assigned in a loop"] = "double a; a = 0; for (int i = 0; i < 4; i++) a += x * i; return a;",
        ["const locals and fields"] = "const double c = 2.5; const int k = 2; return c * x + K * x * k;",
        ["unary plus and double negation"] = "return +x - -x + -(-x);",
        ["cast through int"] = "int m = (int)(x * 3); return (double)m * x + m;",
        ["int arithmetic with the int parameter"] = "int m = n * 3 % 4 + Math.Abs(n - 5) + Math.Max(n, 1); return x * m + x / n;",
        ["Math.Max with an int literal"] = "return Math.Max(x, 0) + Math.Min(0, x) * 2;",
        ["return in the middle of a loop-free method"] = "double a = x * x; if (a > 2) { a -= 1; return a; } a += x; return a * 3;",
        ["variable shadowing across sibling blocks"] = "double s = 0; { double t = x; s += t; } { double t = x * x; s += t; } return s;",
        ["expression body with nested calls"] = "return Shared2.Square(Shared2.Square(x) + 1);",
        ["loop bound from a const expression"] = "double s = 0; for (int i = 0; i < K * 2 - 1; i += 1) s += Math.Cos(x + i); return s;",
        ["empty statements and blocks"] = "double s = x;; { } if (x > 10) { } else { } return s * 2;",
        ["comparison chains with ==, !="] = "double s = x; for (int i = 0; i < 4; i++) { if (i == 2 || i != 3 && n == 2) s *= x; } return s;",
        ["int values out of a conditional"] = "return x * (n > 1 ? 2 : 3) + (x > 0 ? n : -n);",
        ["bool values out of a conditional"] = "bool b = x > 0 ? n > 1 : n < 1; return b ? x : 2 * x;",
        ["int local assigned in both branches"] = "int m = 0; if (x > 0) m = n; else m = -n; return m * x;",
        ["int division and remainder"] = "int m = n; m *= 7; m -= 1; m /= 2; m %= 5; return x * (n / 2) + x * (7 / n) + m * x;",
        ["nested conditionals in a loop"] = "double s = 0; for (int i = 0; i < 3; i++) s += i == 1 ? x : i == 2 ? x * x : 1; return s;",
        ["a constant result"] = "return 3.0;",
        ["the parameter itself"] = "return x;",
        ["signed zeros"] = "return -0.0 * x + x * 0.0 - (0.0 - x);",
        ["non-ASCII and keyword names"] = "double größe = x * 2; double @class = größe + 1; double[] 値 = [@class, größe]; double t = 値[0] * 値[1]; return t * x + @class;",
        ["names like the generated ones"] = "double t = x * x; double t_2 = t * x; double dX = t_2 + t; double dt = dX * dX; double x_0 = dt - t; return x_0 + Math.Sin(dt);",
    };

    private static readonly Lazy<Dictionary<string, Probe>> Probes = new(() =>
    {
        var s = new StringBuilder("using SymGrad;\n\npublic static partial class Edge\n{\n    const int K = 2;\n\n");
        string[] names = Bodies.Keys.ToArray();
        for (int i = 0; i < names.Length; i++)
        {
            s.Append($"    [Differentiable]\n    public static double E{i}(double x, int n)\n    {{\n        {Bodies[names[i]]}\n    }}\n\n");
        }
        s.Append("}\n\npublic static partial class Shared2\n{\n    [Differentiable]\n    public static double Square(double x) => x * x;\n}\n");
        GeneratorRun run = GeneratorHarness.Run(s.ToString(), SampleSources.ImplicitUsings);
        Dictionary<string, Probe> probes = Probe.Load(run, names.Select((_, i) => "E" + i).ToArray()).Probes;
        return names.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => probes["E" + p.i]);
    });

    public static TheoryData<string> Cases => new(Bodies.Keys);

    [Fact]
    public void NoDerivative_arrays_and_spans_are_read_but_get_no_adjoint()
    {
        const string source = """
            using SymGrad;

            public static partial class Constants
            {
                [Differentiable]
                public static double F(double x, [NoDerivative] double[] c, [NoDerivative] ReadOnlySpan<double> d,
                                       [NoDerivative] double[,] m, double[] w)
                {
                    double s = 0;
                    for (int i = 0; i < 2; i++) s += c[i] * Math.Sin(d[i] * x) + m[i, 1] * w[i] * x;
                    return s > 0 ? s * s : -s;
                }
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source, SampleSources.ImplicitUsings);
        (LoadedAssembly loaded, Dictionary<string, Probe> probes) = Probe.Load(run, "F");
        using (loaded)
        {
            Assert.Equal([true, false, false, false, true], probes["F"].Parameters.Select(p => p.Differentiable));
            foreach (double x in new[] { 0.37, -1.21, 1.66 })
            {
                object[] args = [x, new[] { 0.5, -1.5 }, new[] { 2.0, 0.75 }, new[,] { { 9.0, 0.25 }, { 9.0, -0.5 } }, new[] { 1.25, 0.8 }];
                GradientCorrectnessTests.CheckPoint("NoDerivative arrays", probes["F"], args);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_equals_tape_and_finite_differences(string name)
    {
        Probe probe = Probes.Value[name];
        // Away from every branch boundary and cast step of the bodies above (x = 0, ±1, multiples of 1/3).
        foreach (double x in new[] { 0.71, -1.37, 1.93, -0.42, 2.61 })
        {
            object[] args = [x, 2];
            GradientCorrectnessTests.CheckPoint(name, probe, args);
        }
    }
}
