namespace SymGrad.Tests.Generator;

/// <summary>
/// Structs, records and tuples of numbers (issue 14, item 3): locals, members, constructors, operators, methods,
/// computed properties, <c>with</c>, deconstruction, tuple returns, struct parameters with a struct gradient
/// (<c>ref Box dB</c>), and System.Numerics vectors in a float method. The references are independent of the struct
/// lowering: the same formula written with plain doubles (whose gradient must be the struct one to the bit, since
/// the operations are the same), the tape twin, and central finite differences.
/// </summary>
public class StructTests
{
    internal const string Source = """
        using System;
        using System.Numerics;
        using SymGrad;

        namespace Shapes;

        public readonly record struct Vec(double X, double Y)
        {
            public double Norm => Math.Sqrt(X * X + Y * Y);
            public static Vec operator +(Vec a, Vec b) => new(a.X + b.X, a.Y + b.Y);
            public static Vec operator -(Vec a, Vec b) => new(a.X - b.X, a.Y - b.Y);
            public static Vec operator *(double s, Vec a) => new(s * a.X, s * a.Y);
            public static Vec operator -(Vec a) => new(-a.X, -a.Y);
            public double Dot(Vec o) => X * o.X + Y * o.Y;
        }

        public struct Particle
        {
            public Vec Position;
            public Vec Velocity;
            public double Mass { get; set; }
            public int Id;

            public Particle(Vec position, Vec velocity, double mass)
            {
                Position = position;
                Velocity = velocity;
                Mass = mass;
                Id = 7;
            }

            public double Kinetic() => 0.5 * Mass * Velocity.Dot(Velocity);
        }

        public record Settings(double Dt, double Drag)
        {
            public double Damping { get; init; } = 1 - Drag;
        }

        public struct Box
        {
            public Vec Min;
            public Vec Max;
        }

        public static partial class Physics
        {
            /// <summary>A tuple result: inlined where it is called (it has no gradient of its own).</summary>
            [Differentiable]
            public static (double Lo, double Hi) Sorted(double a, double b)
            {
                if (a < b) return (a, b);
                return (b, a);
            }

            [Differentiable]
            public static Vec Step(Vec p, Vec v, double dt) => p + dt * v;

            [Differentiable]
            public static double Energy(double x, double y, double vx, double vy, double m, int steps)
            {
                var s = new Settings(0.1, 0.05);
                var p = new Particle(new Vec(x, y), new Vec(vx, vy), m);
                for (int i = 0; i < steps; i++)
                {
                    p.Position = Step(p.Position, p.Velocity, s.Dt);
                    p.Velocity = s.Damping * p.Velocity;
                    if (p.Position.Y < 0) p.Velocity = p.Velocity with { Y = -p.Velocity.Y };
                }
                (double lo, double hi) = Sorted(p.Position.X, p.Position.Y);
                var (a, b) = (hi, lo);
                (a, b) = (b, a);
                Vec d = -(p.Position - new Vec(1, 2));
                double t = d.Norm;
                return p.Kinetic() + t * t + a * hi - b + (p.Id > 3 ? d.Dot(p.Velocity) : 0);
            }

            /// <summary>Energy with plain doubles, in the same operation order.</summary>
            [Differentiable]
            public static double EnergyScalar(double x, double y, double vx, double vy, double m, int steps)
            {
                double dt = 0.1, damping = 1 - 0.05;
                double px = x, py = y, ux = vx, uy = vy;
                for (int i = 0; i < steps; i++)
                {
                    px = px + dt * ux;
                    py = py + dt * uy;
                    ux = damping * ux;
                    uy = damping * uy;
                    if (py < 0) uy = -uy;
                }
                double lo, hi;
                if (px < py)
                {
                    lo = px;
                    hi = py;
                }
                else
                {
                    lo = py;
                    hi = px;
                }
                double a = lo, b = hi;
                double dx = -(px - 1), dy = -(py - 2);
                double t = Math.Sqrt(dx * dx + dy * dy);
                return 0.5 * m * (ux * ux + uy * uy) + t * t + a * hi - b + (dx * ux + dy * uy);
            }

            /// <summary>Struct parameters: the gradient is a struct of each one's type.</summary>
            [Differentiable]
            public static double Area(in Box b, Vec shift, (double, double) t, double s)
            {
                var (lo, hi) = Sorted(b.Min.X, b.Max.X);
                double w = hi - lo + shift.X * t.Item1;
                double h = b.Max.Y - b.Min.Y + shift.Y * t.Item2;
                return w * h * s;
            }

            [Differentiable]
            public static double AreaScalar(double minX, double minY, double maxX, double maxY, double shiftX, double shiftY, double t1, double t2, double s)
            {
                double lo, hi;
                if (minX < maxX)
                {
                    lo = minX;
                    hi = maxX;
                }
                else
                {
                    lo = maxX;
                    hi = minX;
                }
                double w = hi - lo + shiftX * t1;
                double h = maxY - minY + shiftY * t2;
                return w * h * s;
            }
        }

        public static partial class Forward
        {
            /// <summary>A struct parameter in forward mode too: the tangent is a struct of its type.</summary>
            [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward)]
            public static double Wave(Vec p, double s, (double, double) t) => Math.Sin(p.X * s) * p.Norm + p.Y * t.Item1 * t.Item2;
        }

        public static partial class Floats
        {
            [Differentiable]
            public static float Spring(float x, float y, float k)
            {
                var p = new Vector2(x, y);
                Vector2 d = p - 2f * Vector2.One;
                float len = d.Length();
                return 0.5f * k * (len - 1f) * (len - 1f) + Vector2.Dot(p, Vector2.UnitX) + Vector3.Cross(new Vector3(x, y, 1f), Vector3.UnitZ).X;
            }
        }

        /// <summary>What a user writes: the gradients called with structs, flattened here for the test.</summary>
        public static class Driver
        {
            public static double Energy(double[] v, int steps) => Physics.Energy(v[0], v[1], v[2], v[3], v[4], steps);

            public static double EnergyGradient(double[] v, int steps, double[] g)
            {
                double a = 0, b = 0, c = 0, d = 0, e = 0;
                double value = Physics.EnergyGradient(v[0], v[1], v[2], v[3], v[4], steps, ref a, ref b, ref c, ref d, ref e);
                (g[0], g[1], g[2], g[3], g[4]) = (a, b, c, d, e);
                return value;
            }

            public static double EnergyScalarGradient(double[] v, int steps, double[] g)
            {
                double a = 0, b = 0, c = 0, d = 0, e = 0;
                double value = Physics.EnergyScalarGradient(v[0], v[1], v[2], v[3], v[4], steps, ref a, ref b, ref c, ref d, ref e);
                (g[0], g[1], g[2], g[3], g[4]) = (a, b, c, d, e);
                return value;
            }

            public static double EnergyTape(double[] v, int steps, double[] g)
            {
                Value[] leaves = Value.Leaves(v);
                Value result = Physics.EnergyTape(leaves[0], leaves[1], leaves[2], leaves[3], leaves[4], steps);
                result.Backward();
                for (int i = 0; i < 5; i++) g[i] = leaves[i].Grad;
                return result.Data;
            }

            private static Box BoxOf(double[] v) => new() { Min = new Vec(v[0], v[1]), Max = new Vec(v[2], v[3]) };

            public static double Area(double[] v) => Physics.Area(BoxOf(v), new Vec(v[4], v[5]), (v[6], v[7]), v[8]);

            public static double AreaGradient(double[] v, double[] g)
            {
                Box dB = new() { Min = new Vec(99, 99) }; // stale values: the gradient overwrites them
                Vec dShift = new(-5, 5);
                (double, double) dT = (1, 2);
                double dS = 3;
                double value = Physics.AreaGradient(BoxOf(v), new Vec(v[4], v[5]), (v[6], v[7]), v[8], ref dB, ref dShift, ref dT, ref dS);
                (g[0], g[1], g[2], g[3]) = (dB.Min.X, dB.Min.Y, dB.Max.X, dB.Max.Y);
                (g[4], g[5], g[6], g[7], g[8]) = (dShift.X, dShift.Y, dT.Item1, dT.Item2, dS);
                return value;
            }

            public static double AreaScalarGradient(double[] v, double[] g)
            {
                var d = new double[9];
                double value = Physics.AreaScalarGradient(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8],
                    ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7], ref d[8]);
                d.CopyTo(g, 0);
                return value;
            }

            public static double AreaTape(double[] v, double[] g)
            {
                Value[] l = Value.Leaves(v);
                Value result = Physics.AreaTape(l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7], l[8]);
                result.Backward();
                for (int i = 0; i < 9; i++) g[i] = l[i].Grad;
                return result.Data;
            }

            public static long AreaAllocations(double[] v, double[] g)
            {
                AreaGradient(v, g);
                long before = GC.GetAllocatedBytesForCurrentThread();
                AreaGradient(v, g);
                return GC.GetAllocatedBytesForCurrentThread() - before;
            }

            /// <summary>The JVP along u, and the gradient dotted with u, as [jvp value, derivative, gradient · u].</summary>
            public static double[] WaveJvp(double[] v, double[] u)
            {
                double value = Forward.WaveJvp(new Vec(v[0], v[1]), v[2], (v[3], v[4]), new Vec(u[0], u[1]), u[2], (u[3], u[4]), out double derivative);
                Vec dP = default;
                double dS = 0;
                (double, double) dT = default;
                Forward.WaveGradient(new Vec(v[0], v[1]), v[2], (v[3], v[4]), ref dP, ref dS, ref dT);
                double dot = dP.X * u[0] + dP.Y * u[1] + dS * u[2] + dT.Item1 * u[3] + dT.Item2 * u[4];
                return [value, derivative, dot, Forward.Wave(new Vec(v[0], v[1]), v[2], (v[3], v[4]))];
            }

            public static float Spring(float[] v) => Floats.Spring(v[0], v[1], v[2]);

            public static float SpringGradient(float[] v, float[] g)
            {
                float a = 0, b = 0, c = 0;
                float value = Floats.SpringGradient(v[0], v[1], v[2], ref a, ref b, ref c);
                (g[0], g[1], g[2]) = (a, b, c);
                return value;
            }

            public static double SpringTape(float[] v, double[] g)
            {
                Value x = new(v[0]), y = new(v[1]), k = new(v[2]);
                Value result = Floats.SpringTape(x, y, k);
                result.Backward();
                (g[0], g[1], g[2]) = (x.Grad, y.Grad, k.Grad);
                return result.Data;
            }
        }
        """;

    private static readonly Lazy<LoadedAssembly> Loaded = new(() =>
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.Compile(GeneratorHarness.DocumentedParseOptions, Source));
        run.AssertCompilesCleanly(); // with documentation diagnostics on: the crefs of struct parameters are right
        return run.Load();
    });

    private static object Call(string name, params object[] args) => Loaded.Value.Method("Shapes.Driver", name).Invoke(null, args)!;

    private static double CentralDifference(Func<double[], double> f, double[] at, int i, double h = 1e-6)
    {
        double[] up = (double[])at.Clone(), down = (double[])at.Clone();
        up[i] += h;
        down[i] -= h;
        return (f(up) - f(down)) / (2 * h);
    }

    [Theory]
    [InlineData(0.3, 0.8, 0.5, -2.0, 1.5, 12)] // the particle bounces (y goes below 0): the branch in the loop is taken
    [InlineData(2.0, 0.1, -0.4, 0.7, 0.9, 3)]
    [InlineData(0.5, 4.0, 0.0, 0.0, 2.0, 0)] // no step at all
    public void Struct_locals_members_operators_and_tuples_give_the_plain_double_gradient_to_the_bit(double x, double y, double vx, double vy, double m, int steps)
    {
        double[] v = [x, y, vx, vy, m];
        double[] g = new double[5], scalar = new double[5], tape = new double[5];
        double value = (double)Call("EnergyGradient", v, steps, g);
        Assert.Equal((double)Call("Energy", v, steps), value); // the method's own value, bit for bit
        Assert.Equal((double)Call("EnergyScalarGradient", v, steps, scalar), value);
        Assert.Equal(scalar, g); // the same operations as the plain version: the same bits
        Assert.Equal((double)Call("EnergyTape", v, steps, tape), value, 1e-13);
        Assert.Contains(g, d => Math.Abs(d) > 1e-2);
        for (int i = 0; i < 5; i++)
        {
            Assert.True(Math.Abs(g[i] - tape[i]) <= 1e-12 * (1 + Math.Abs(tape[i])), $"input {i}: {g[i]} vs tape {tape[i]}");
            double difference = CentralDifference(p => (double)Call("Energy", p, steps), v, i);
            Assert.True(Math.Abs(g[i] - difference) <= 1e-6 * (1 + Math.Abs(difference)), $"input {i}: {g[i]} vs differences {difference}");
        }
    }

    [Theory]
    [InlineData(0.1, 0.2, 1.5, 2.5, 0.3, -0.7, 1.1, 0.9, 2.0)]
    [InlineData(3.0, -1.0, 1.0, 0.5, -0.2, 0.4, 0.6, -1.3, -0.5)] // min.X > max.X: the other branch of Sorted
    public void Struct_parameters_get_a_gradient_struct_of_their_type(params double[] v)
    {
        double[] g = new double[9], scalar = new double[9], tape = new double[9];
        double value = (double)Call("AreaGradient", v, g);
        Assert.Equal((double)Call("Area", v), value);
        Assert.Equal((double)Call("AreaScalarGradient", v, scalar), value);
        Assert.Equal(scalar, g);
        Assert.Equal((double)Call("AreaTape", v, tape), value, 1e-13);
        for (int i = 0; i < 9; i++)
        {
            Assert.True(Math.Abs(g[i] - tape[i]) <= 1e-12 * (1 + Math.Abs(tape[i])), $"input {i}: {g[i]} vs tape {tape[i]}");
            double difference = CentralDifference(p => (double)Call("Area", p), v, i);
            Assert.True(Math.Abs(g[i] - difference) <= 1e-6 * (1 + Math.Abs(difference)), $"input {i}: {g[i]} vs differences {difference}");
        }
        Assert.Equal(0, (long)Call("AreaAllocations", v, g));
    }

    [Theory]
    [InlineData(0.3, -1.2, 2.0, 0.5, 1.5)]
    [InlineData(-2.0, 0.7, -0.4, 3.0, -1.0)]
    public void A_struct_parameter_in_forward_mode_gets_a_tangent_struct(double px, double py, double s, double t1, double t2)
    {
        double[] v = [px, py, s, t1, t2], u = [0.7, -0.2, 1.1, 0.4, -0.9];
        var r = (double[])Call("WaveJvp", v, u);
        Assert.Equal(r[3], r[0]); // the JVP's value is the method's
        Assert.Equal(r[2], r[1], 1e-13); // the directional derivative is the gradient dotted with the tangent
        double h = 1e-6;
        double[] up = v.Zip(u, (a, b) => a + h * b).ToArray(), down = v.Zip(u, (a, b) => a - h * b).ToArray();
        double difference = (((double[])Call("WaveJvp", up, u))[3] - ((double[])Call("WaveJvp", down, u))[3]) / (2 * h);
        Assert.Equal(difference, r[1], 1e-6);
    }

    [Theory]
    [InlineData(0.5f, 3.0f, 2.0f)]
    [InlineData(-1.5f, 0.25f, 0.5f)]
    public void Numerics_vectors_in_a_float_method_match_the_double_tape_and_float_differences(float x, float y, float k)
    {
        float[] v = [x, y, k];
        float[] g = new float[3];
        double[] tape = new double[3];
        float value = (float)Call("SpringGradient", v, g);
        // Vector2.Length may round its sum in another order (SIMD) than the component formula: the last bits only.
        float method = (float)Call("Spring", v);
        Assert.True(Math.Abs(value - method) <= 1e-6f * (1 + Math.Abs(method)), $"{value} vs {method}");
        double tapeValue = (double)Call("SpringTape", v, tape);
        Assert.True(Math.Abs(value - tapeValue) <= 1e-5 * (1 + Math.Abs(tapeValue)));
        for (int i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs(g[i] - tape[i]) <= 1e-4 * (1 + Math.Abs(tape[i])), $"input {i}: {g[i]} vs tape {tape[i]}");
            const float h = 1e-2f;
            float[] up = (float[])v.Clone(), down = (float[])v.Clone();
            up[i] += h;
            down[i] -= h;
            double difference = ((float)Call("Spring", up) - (float)Call("Spring", down)) / (2.0 * h);
            Assert.True(Math.Abs(g[i] - difference) <= 2e-2 * (1 + Math.Abs(difference)), $"input {i}: {g[i]} vs float differences {difference}");
        }
    }

    [Fact]
    public void The_generated_code_names_struct_numbers_after_their_members_and_comments_members_by_their_source_names()
    {
        GeneratorRun run = GeneratorHarness.Run(Source);
        string physics = run.Sources.Single(s => s.Key.Contains("Physics")).Value;
        Assert.Contains("public static double AreaGradient(in global::Shapes.Box b, global::Shapes.Vec shift, (double, double) t, double s, ref global::Shapes.Box dB, ref global::Shapes.Vec dShift, ref (double, double) dT, ref double dS)", physics);
        Assert.Contains("double b_Min_X = b.Min.X;", physics);
        Assert.Contains("dB = default(global::Shapes.Box) with { Min = default(global::Shapes.Vec) with { X = dB_Min_X, Y = dB_Min_Y }, Max = default(global::Shapes.Vec) with { X = dB_Max_X, Y = dB_Max_Y } };", physics);
        Assert.Contains("dT = (dT_Item1, dT_Item2);", physics);
        Assert.Contains("// Vec.operator +, line", physics);
        Assert.Contains("// Vec.Norm, line", physics);
        Assert.Contains("// Particle.Kinetic, line", physics);
        Assert.DoesNotContain("SortedGradient", physics); // a tuple result: no gradient of its own
    }

    private const string Types = """
        public record struct P(double X, double Y);
        public record R(double X) { public double Y { get; set; } }
        public struct Custom
        {
            public double X, Y;
            public void Deconstruct(out double x, out double y) { x = X; y = Y; }
        }
        """;

    private const string Loop = """
        public static partial class Helpers
        {
            [SymGrad.Differentiable]
            public static P Loop(double x)
            {
                for (int i = 0; i < (int)x; i++) { if (i > 2) return new P(i, x); }
                return new P(0, x);
            }
        }
        """;

    [Theory]
    [InlineData("var c = new Custom { X = x, Y = 1 }; var (a, b) = c; return a + b;", "SG0011", "var (a, b) = c",
        "The deconstruction 'var (a, b) = c' through a Deconstruct method is not supported in a [Differentiable] method: deconstruct a tuple or a positional record")]
    [InlineData("var r = new R(x); r.Y = 3; return r.X;", "SG0011", "r.Y = 3",
        "Assigning to 'r.Y', a member of the record class 'r' is not supported in a [Differentiable] method: a record class is a reference other names may see: build a new one with 'with'")]
    [InlineData("var p = new P(x, 1); return p;", "SG0011", "p", "")] // C# itself rejects it too: SymGrad's error is on the same syntax
    public void What_stays_outside_in_a_body_is_a_diagnostic_on_its_syntax(string body, string id, string located, string messageStart)
    {
        if (messageStart.Length == 0)
        {
            GeneratorRun broken = GeneratorHarness.RunOnAnything($$"""
                using System;
                using SymGrad;
                {{Types}}
                public static partial class Bad
                {
                    [Differentiable]
                    public static double F(double x) { {{body}} }
                }
                """);
            Assert.Contains(broken.Output.GetDiagnostics(), d => d.Id == "CS0029"); // the user's own error, which the compiler reports
            return;
        }
        GeneratorHarness.AssertOneDiagnostic(body, id, located, messageStart, Types);
    }

    [Fact]
    public void A_struct_result_returned_from_inside_a_loop_is_reported_in_the_building_block_and_at_its_calls()
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything($$"""
            using SymGrad;
            {{Types}}
            {{Loop}}
            public static partial class Uses
            {
                [Differentiable]
                public static double F(double x) => Helpers.Loop(x).X;
            }
            """);
        Assert.Equal(["SG0011", "SG0014"], run.SymGradDiagnostics.Select(d => d.Id).OrderBy(i => i));
        Microsoft.CodeAnalysis.Diagnostic inner = run.SymGradDiagnostics.Single(d => d.Id == "SG0011");
        Assert.Equal("return new P(i, x);", run.LocatedText(inner));
        Assert.StartsWith("Returning the struct 'new P(i, x)' from inside a loop", inner.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("public readonly struct Frozen { public readonly double X; public Frozen(double x) { X = x; } }", "Frozen f", "f.X",
        "The parameter 'f' of type 'Frozen' cannot be differentiated: its member X cannot be set, so the gradient cannot be written into a Frozen; make the member settable or init, or mark the parameter [NoDerivative]")]
    [InlineData("public struct Flag { public double X; public bool On; }", "Flag f", "f.X",
        "The parameter 'f' of type 'Flag' cannot be differentiated: its member On is a bool")]
    [InlineData("public record R(double X);", "R r", "r.X",
        "The parameter 'r' of type 'R' cannot be differentiated: a record class is a reference")]
    [InlineData("public struct Single { public float X; }", "Single s", "s.X",
        "The parameter 's' of type 'Single' cannot be differentiated: its member X is a float in a double method")]
    public void A_struct_parameter_SymGrad_cannot_take_is_SG0020_on_the_parameter(string type, string parameter, string read, string message)
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything($$"""
            using SymGrad;
            {{type}}
            public static partial class Takes
            {
                [Differentiable]
                public static double F({{parameter}}) => {{read}};
            }
            """);
        Microsoft.CodeAnalysis.Diagnostic d = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal("SG0020", d.Id);
        Assert.Equal(parameter, run.LocatedText(d));
        Assert.StartsWith(message, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_frozen_struct_marked_NoDerivative_is_read_as_data()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using SymGrad;
            public readonly struct Frozen { public readonly double X; public Frozen(double x) { X = x; } }
            public static partial class Takes
            {
                [Differentiable]
                public static double F([NoDerivative] Frozen f, double y) => f.X * y;
            }
            """);
        Assert.Empty(run.SymGradDiagnostics);
        Assert.Contains("public static double FGradient(global::Frozen f, double y, ref double dY)", run.SingleSource);
    }

    [Fact]
    public void Second_order_modes_of_a_method_with_a_struct_parameter_are_SG0016()
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything("""
            using SymGrad;
            public record struct P(double X, double Y);
            public static partial class Takes
            {
                [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.HessianVector)]
                public static double F(P p) => p.X * p.Y;
            }
            """);
        Microsoft.CodeAnalysis.Diagnostic d = Assert.Single(run.SymGradDiagnostics);
        Assert.Equal("SG0016", d.Id);
        Assert.StartsWith("'F' asks for DerivativeModes.HessianVector but takes the struct parameter 'p'", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }
}
