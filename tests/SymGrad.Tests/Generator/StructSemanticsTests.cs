namespace SymGrad.Tests.Generator;

/// <summary>
/// A semantics probe of the struct lowering (issue 14): small programs at the places where scalarising structs,
/// records and tuples into one environment entry per number could silently part from C# (copies, loops, branches,
/// returns merged per leaf, evaluation order of initializers, <c>with</c> and deconstruction, members that assign
/// <c>this</c>, getters with side effects, closures, defensive copies). The reference is the method itself, run by
/// .NET: the gradient's value must be the method's to the bit (the same operations), its derivatives central finite
/// differences' and the tape twin's. Each double program is <c>C.F(double x, double y, int n)</c>; each float one
/// <c>C.F(float x, float y, int n)</c>, compared with a float tolerance (the runtime's vectors may sum with SIMD).
/// </summary>
public class StructSemanticsTests
{
    private const string Usings = "using System;\nusing System.Numerics;\nusing SymGrad;\n\n";

    /// <summary>The types most programs use: a record struct with operators, a mutable struct whose members assign this, a struct of fields, a box of record structs, a record class.</summary>
    private const string Types = """
        public record struct P(double X, double Y)
        {
            public static P operator +(P a, P b) => new(a.X + b.X, a.Y + b.Y);
            public static P operator -(P a, P b) => new(a.X - b.X, a.Y - b.Y);
            public static P operator -(P a) => new(-a.X, -a.Y);
            public static P operator *(double s, P a) => new(s * a.X, s * a.Y);
            public double Dot(P o) => X * o.X + Y * o.Y;
            public double Norm => Math.Sqrt(X * X + Y * Y);
        }

        public struct M
        {
            public double X, Y;
            public M(double x, double y) { X = x; Y = y; }
            public double Scale(double k) { X *= k; Y *= k; return X + Y; }
            public double Next { get { X = X + 1; return X * Y; } }
            public void Shift(double d) { X += d; }
            public double Iterate(int n) { for (int i = 0; i < n; i++) X = X * 0.5 + Y; return X; }
            public double Halve(int n) { double s = 0; for (int i = 0; i < n; i++) s += Scale(0.5); return s; }
            public static bool operator ==(M a, M b) => a.X == b.X && a.Y == b.Y;
            public static bool operator !=(M a, M b) => !(a == b);
            public override readonly bool Equals(object? o) => o is M m && m.X == X && m.Y == Y;
            public override readonly int GetHashCode() => HashCode.Combine(X, Y);
        }

        public struct V { public double A; public double B; }

        public struct Box
        {
            public P Min;
            public P Max;
            public P Center => 0.5 * (Min + Max);
            public double Area => (Max.X - Min.X) * (Max.Y - Min.Y);
        }

        public record Rec(double A, double B) { public double Sum => A + B; }

        public struct Cell { public double V; public double Grow(double k) { V = V * k; return V; } }
        """;

    private const string DoubleDriver = """

        public static class Driver
        {
            public static double Value(double x, double y, int n) => C.F(x, y, n);
            public static double[] Gradient(double x, double y, int n) { double dx = 0, dy = 0; double v = C.FGradient(x, y, n, ref dx, ref dy); return [v, dx, dy]; }
            public static double[] Tape(double x, double y, int n) { Value a = new(x), b = new(y); Value r = C.FTape(a, b, n); r.Backward(); return [r.Data, a.Grad, b.Grad]; }
        }
        """;

    private const string FloatDriver = """

        public static class Driver
        {
            public static float Value(float x, float y, int n) => C.F(x, y, n);
            public static float[] Gradient(float x, float y, int n) { float dx = 0, dy = 0; float v = C.FGradient(x, y, n, ref dx, ref dy); return [v, dx, dy]; }
            public static double[] Tape(float x, float y, int n) { Value a = new(x), b = new(y); Value r = C.FTape(a, b, n); r.Backward(); return [r.Data, a.Grad, b.Grad]; }
        }
        """;

    private sealed record Case(string Source, (double X, double Y, int N)[] Points);

    /// <summary>A program: its own types (beside <see cref="Types"/>) and the class C with F and any building blocks.</summary>
    private static Case Program(string code, params (double, double, int)[] points) => new(code, points);

    /// <summary>A program whose only method is F with this body.</summary>
    private static Case Body(string body, params (double, double, int)[] points) =>
        new("public static partial class C\n{\n    [Differentiable]\n    public static double F(double x, double y, int n)\n    {\n" + body + "\n    }\n}\n", points);

    private static readonly Dictionary<string, Case> Doubles = new()
    {
        // ---- copies
        ["a copy is a copy: mutating it leaves the original"] = Body("""
            var p = new P(x, y);
            var q = p;
            q.X = 1;
            q.Y *= x;
            var b = new Box { Min = p, Max = q };
            var c = b;
            c.Min.Y = 5;
            return p.X * p.Y + q.X * q.Y + b.Min.Y * 3 + c.Min.Y * b.Max.Y;
            """, (0.7, 1.3, 0), (-1.2, 0.4, 0)),

        ["a copy made in a kept loop, assigned back in one branch"] = Body("""
            var p = new P(x, y);
            for (int i = 0; i < n; i++)
            {
                var q = p;
                q.X = q.X * 0.5 + i;
                if (q.X > p.Y) p = q;
                else p.Y += q.X * 0.1;
            }
            return p.X + p.Y * p.Y;
            """, (0.7, 1.3, 5), (3.1, -0.4, 4), (0.2, 2.5, 7)),

        ["a copy taken before a while loop and retaken in a branch of it"] = Body("""
            var p = new P(x, y);
            var saved = p;
            int i = 0;
            while (i < n)
            {
                p.X += saved.Y * 0.25;
                if (p.X > 2) { saved = p; saved.Y = -saved.Y * 0.5; }
                i++;
            }
            return p.X * saved.X + saved.Y + p.Y;
            """, (0.71, 1.3, 6), (2.5, -0.9, 5)),

        // ---- loops
        ["a while loop over a struct with break, continue and a data-dependent trip count"] = Body("""
            var p = new P(x, y);
            int k = 0;
            while (p.X < 10)
            {
                k++;
                if (k > 50) break;
                p.X = p.X * 1.3 + 0.1;
                if (p.X > 5) continue;
                p.Y += p.X * 0.5;
            }
            return p.X * p.Y + k;
            """, (0.7, 1.3, 0), (4.0, -0.5, 0), (-0.3, 0.2, 0), (-0.34, 0.2, 0)),

        ["a do-while loop over a named tuple holding an int, with break"] = Body("""
            var t = (a: x, b: y, c: 0);
            do
            {
                t.a = t.a * 0.8 + t.b * 0.1;
                t.c++;
                if (t.a < 0.1) break;
            } while (t.c < n);
            return t.a * t.c + t.b;
            """, (2.0, 0.5, 6), (0.3, -1.0, 6), (1.0, 0.2, 1)),

        ["a for loop whose variable is a struct"] = Body("""
            double s = 0;
            for (var c = new P(x, 0); c.Y < n; c.Y += 1)
            {
                c.X = c.X * y + 0.5;
                s += c.X;
            }
            return s;
            """, (0.5, 0.9, 4), (1.5, -0.7, 3)),

        // ---- branches
        ["a struct assigned in one branch only"] = Body("""
            P p = new P(1, 2);
            if (x > y) p = new P(x * y, x);
            else if (x < 0) p.X = y;
            return p.X * p.Y + x;
            """, (2.0, 1.0, 0), (-1.0, 0.5, 0), (0.3, 0.9, 0)),

        ["an unassigned struct completed member by member in both branches"] = Body("""
            V v;
            if (x > 0) { v.A = x; v.B = y; }
            else { v.B = -x; v.A = y * v.B; }
            return v.A * v.B + v.A;
            """, (0.8, 1.1, 0), (-0.6, 0.7, 0)),

        // ---- building blocks
        ["a building block returning from nested if, else if and switch, without else"] = Program("""
            public static partial class C
            {
                [Differentiable]
                public static P Pick(double x, double y, int n)
                {
                    if (x > 0)
                    {
                        if (y > 0) return new P(x, y);
                        else if (n == 2) return new P(y, x);
                        switch (n)
                        {
                            case 0: return new P(x * y, 1);
                            case 1: return new P(1, x * y);
                        }
                    }
                    return new P(-x, y * y);
                }

                [Differentiable]
                public static double F(double x, double y, int n)
                {
                    var p = Pick(x, y, n);
                    var q = Pick(y, x, n + 1);
                    return p.X * q.Y + p.Y - q.X;
                }
            }
            """, (0.7, 1.3, 0), (0.7, -1.3, 0), (0.7, -1.3, 1), (0.7, -1.3, 2), (0.7, -1.3, 5), (-0.5, 0.8, 0), (-0.5, 0.8, 1)),

        ["a building block with an early return before a kept loop"] = Program("""
            public static partial class C
            {
                [Differentiable]
                public static P Walk(P start, int n)
                {
                    if (n <= 0) return start;
                    var p = start;
                    for (int i = 0; i < n; i++)
                    {
                        p = new P(p.X + 0.1 * p.Y, p.Y - 0.1 * p.X);
                        if (p.X > 3) break;
                    }
                    return p;
                }

                [Differentiable]
                public static double F(double x, double y, int n)
                {
                    var a = Walk(new P(x, y), n);
                    var b = Walk(a, n - 2);
                    return a.X * b.Y + b.X;
                }
            }
            """, (0.7, 1.3, 4), (2.93, 1.0, 6), (0.5, 0.5, 1)),

        ["building blocks taking structs by value and by in"] = Program("""
            public static partial class C
            {
                [Differentiable] public static P Mirror(in P p, double s) => new P(p.Y * s, p.X);

                [Differentiable] public static double Span(P a, in Box b) => a.Dot(b.Max - b.Min) + b.Area;

                [Differentiable]
                public static double F(double x, double y, int n)
                {
                    var p = new P(x, y);
                    var m = Mirror(in p, x);
                    var m2 = Mirror(p, y);
                    var box = new Box { Min = m, Max = m2 + p };
                    p.X = 7;
                    return m.X * m2.Y + p.X * m.Y + Span(p, box) + Span(m, in box);
                }
            }
            """, (0.7, 1.3, 0), (-1.1, 0.6, 0)),

        ["building blocks calling a method that assigns their struct parameter, by value and by in"] = Program("""
            public static partial class C
            {
                [Differentiable] public static double Drain(M m) { double r = m.Scale(0.5); return r + m.X; }

                [Differentiable] public static double Peek(in M m) { double r = m.Scale(2); return r + m.X; }

                [Differentiable]
                public static double F(double x, double y, int n)
                {
                    var m = new M(x, y);
                    double a = Drain(m);
                    double b = Peek(m);
                    double c = Peek(in m);
                    return a * m.X + b * y + c + m.Y;
                }
            }
            """, (0.7, 1.3, 0), (-2.0, 0.3, 0)),

        ["a tuple building block whose int and bool leaves meet after its returns"] = Program("""
            public static partial class C
            {
                [Differentiable]
                public static (double v, int k, bool neg) Classify(double x)
                {
                    if (x < 0) return (-x, 1, true);
                    if (x > 2) return (x / 2, 2, false);
                    return (x, 0, false);
                }

                [Differentiable]
                public static double F(double x, double y, int n)
                {
                    var (v, k, neg) = Classify(x);
                    var c = Classify(y);
                    return v * k + (neg ? y : 1) + c.v * (c.k + 1) + (c.neg ? x : 0);
                }
            }
            """, (-0.5, 3.0, 0), (2.5, -1.0, 0), (1.0, 0.5, 0)),

        // ---- assignments to members
        ["compound assignment and ++ on nested members and tuple elements"] = Body("""
            var b = new Box { Min = new P(x, y), Max = new P(y + 2, x + 3) };
            b.Min.X += y;
            b.Max.Y *= b.Min.X;
            b.Min.Y -= 0.5;
            b.Max.X /= 2;
            var t = (i: 1, d: x);
            t.i++;
            t.d++;
            t.i += n;
            ++t.d;
            t.d--;
            double pre = ++b.Min.X;
            double post = b.Max.X++;
            return b.Area + b.Center.X * t.i + t.d * b.Min.Y + pre * post;
            """, (0.7, 1.3, 2), (-0.4, 2.2, 1)),

        // ---- evaluation order
        ["with reading the value it replaces"] = Body("""
            var p = new P(x, y);
            p = p with { X = p.Y, Y = p.X };
            var q = p with { Y = p.X * 2 };
            q = q with { X = q.Y + q.X, Y = q.X };
            return p.X * 3 + p.Y + q.Y * q.X;
            """, (0.7, 1.3, 0), (-2.0, 0.3, 0)),

        ["swaps and rotations by deconstruction, into members, structs and a new local"] = Body("""
            var p = new P(x, y);
            (p.X, p.Y) = (p.Y, p.X);
            var t = (x, y * 2);
            (t.Item1, t.Item2) = (t.Item2, t.Item1 + t.Item2);
            var b = new Box { Min = p, Max = new P(1, 2) };
            (b.Min, b.Max) = (b.Max, b.Min);
            (p, var old) = (new P(p.Y, 3), p);
            return p.X * 10 + p.Y + t.Item1 * t.Item2 + b.Min.Y * b.Max.X + old.X;
            """, (0.7, 1.3, 0), (-2.0, 0.3, 0)),

        ["object initializers and constructor arguments reading the variable being assigned"] = Body("""
            var p = new P(x, y);
            p = new P(p.Y, p.X) { Y = p.Y * 2 };
            var v = new V { A = x };
            v = new V { A = v.A + 1, B = v.A * 3 };
            return p.X * p.Y + v.A * v.B;
            """, (0.7, 1.3, 0), (-2.0, 0.3, 0)),

        // ---- members that assign this
        ["a method assigning this, called on a local"] = Body("""
            var m = new M(x, y);
            double s = m.Scale(2);
            var copy = m;
            double t = m.Scale(y);
            if (x > 0) m.Scale(3);
            else s += copy.Scale(0.5);
            double u = x > 0.5 ? m.Scale(0.25) : copy.Scale(4);
            for (int i = 0; i < 3; i++) s += m.Scale(1.1); // a constant loop: unrolled
            return s + t + u + m.X * m.Y + copy.X;
            """, (0.7, 1.3, 0), (-2.0, 0.3, 0)),

        ["a method assigning this, called on a local in a kept loop"] = Body("""
            var m = new M(x, y);
            double s = 0;
            for (int i = 0; i < n; i++) s += m.Scale(0.9);
            return s + m.X;
            """, (0.7, 1.3, 3), (-2.0, 0.3, 5)),

        ["a method assigning this as the body of a while loop whose condition reads the struct"] = Body("""
            var m = new M(x, y);
            int k = 0;
            while (m.X < 10 && k < 100)
            {
                m.Scale(1.5);
                k++;
            }
            return m.X * m.Y + k;
            """, (0.7, 1.3, 0), (3.3, -0.4, 0)),

        ["a method looping over its own fields"] = Body("""
            var m = new M(x, y);
            double a = m.Iterate(n);
            return a * m.Y + m.X;
            """, (0.7, 1.3, 4), (-2.0, 0.3, 3)),

        ["a method calling a method assigning this in a loop of its own"] = Body("""
            var m = new M(x, y);
            double a = m.Halve(n);
            return a + m.X * 10 + m.Y;
            """, (0.7, 1.3, 3), (-2.0, 0.3, 2)),

        ["a void method assigning this, called as a statement"] = Body("""
            var m = new M(x, y);
            m.Shift(y);
            m.Shift(1);
            return m.X * m.Y;
            """, (0.7, 1.3, 0), (-2.0, 0.3, 0)),

        ["a getter with side effects read twice"] = Body("""
            var m = new M(x, y);
            double a = m.Next;
            double b = m.Next;
            return a * b + m.X;
            """, (0.7, 1.3, 0), (-2.0, 0.3, 0)),

        ["a getter with side effects read in a kept loop"] = Body("""
            var m = new M(x, y);
            double s = 0;
            for (int i = 0; i < n; i++) s += m.Next * 0.1;
            return s + m.X * m.Y;
            """, (0.7, 1.3, 3), (-2.0, 0.3, 4)),

        ["a method assigning this on the right of && and ||"] = Body("""
            var m = new M(x, y);
            bool ok = x > 1 && m.Scale(2) > 0;
            bool no = x < 0.5 || m.Scale(3) > 100;
            return (ok ? 1 : 0) + (no ? 10 : 0) + m.X * m.Y;
            """, (1.5, 1.3, 0), (0.7, 1.3, 0), (0.2, 1.3, 0)),

        ["a method assigning this, called on a readonly field, runs on a copy"] = Program("""
            public struct Holder { public readonly Cell R; public Holder(double v) { R = new Cell { V = v }; } }
            public static partial class C
            {
                [Differentiable]
                public static double F(double x, double y, int n)
                {
                    var h = new Holder(x);
                    double a = h.R.Grow(3);
                    return a * y + h.R.V * 10;
                }
            }
            """, (0.7, 1.3, 0), (-2.0, 0.3, 0)),

        ["a method assigning this, called on an auto-property of a struct, runs on a copy"] = Program("""
            public struct Holder { public Cell C { get; set; } }
            public static partial class C
            {
                [Differentiable]
                public static double F(double x, double y, int n)
                {
                    var h = new Holder { C = new Cell { V = x } };
                    double a = h.C.Grow(2);
                    return a * y + h.C.V * 10;
                }
            }
            """, (0.7, 1.3, 0), (-2.0, 0.3, 0)),

        ["user == and != operators of a struct"] = Body("""
            var m1 = new M(x, y);
            var m2 = m1;
            m2.X = m2.X > 1 ? m2.X : 1;
            double r = m1 == m2 ? x * y : x + y;
            if (m1 != m2) r *= 2;
            m2 = m1;
            return m1 == m2 ? r * x : r;
            """, (1.5, 1.3, 0), (0.5, 1.3, 0)),

        // ---- tuples
        ["a tuple with int and bool members carried through a kept loop"] = Body("""
            var t = (v: x, k: n, on: x > y);
            for (int i = 0; i < n; i++)
            {
                if (t.on) t.v *= y;
                else t.v += y;
                t.on = !t.on;
                t.k--;
            }
            return t.v + t.k + (t.on ? 1 : 0);
            """, (0.7, 1.3, 3), (2.0, 0.9, 4)),

        ["nested tuples deconstructed into existing and new locals mixed"] = Body("""
            double a = 0;
            var t = ((x, y), (n, x * y));
            (a, var b) = t.Item1;
            ((var c, double d), var (e, f)) = ((t.Item2.Item2, a), (b, t.Item2.Item1));
            (a, b) = (b, a);
            var ((g, _), h) = t;
            return a * 2 + b * c + d * e + f + g * h.Item2;
            """, (0.7, 1.3, 3), (-2.0, 0.3, 1)),

        ["a tuple compared with == and != to another"] = Body("""
            var t = (a: x, k: n);
            var u = t;
            u.k++;
            double r = t == u ? x : y;
            if (t != (x, n)) r *= 2;
            return r + (u == (x, n + 1) ? x * y : 0);
            """, (0.7, 1.3, 3), (-2.0, 0.3, 1)),

        ["member swaps by deconstruction carried through a kept loop"] = Body("""
            var p = new P(x, y);
            var t = (x, 0.5);
            for (int i = 0; i < n; i++)
            {
                (p.X, p.Y) = (p.Y, p.X * 0.5 + p.Y);
                (t.Item1, t.Item2) = (t.Item2 * p.X, t.Item1);
                if (p.Y > 4) break;
            }
            return p.X * p.Y + t.Item1 - t.Item2;
            """, (0.7, 1.3, 5), (-2.0, 0.3, 6)),

        // ---- closures
        ["local functions taking and returning structs"] = Body("""
            P Step(P p, double h) => new P(p.X + h * p.Y, p.Y - h * p.X);
            double Energy(P p) => p.X * p.X + p.Y * p.Y * y;
            var s = new P(x, y);
            for (int i = 0; i < n; i++) s = Step(s, 0.1);
            return Energy(s) + Energy(Step(s, x));
            """, (0.7, 1.3, 3), (-2.0, 0.3, 5)),

        ["a local function reading a captured struct local as it stands at each call"] = Body("""
            var box = new Box { Min = new P(x, 0), Max = new P(y + 3, x + 2) };
            double W() => box.Max.X - box.Min.X;
            double a = W();
            box.Min.X = y;
            double b = W();
            return a * b + box.Area;
            """, (0.7, 1.3, 0), (-2.0, 0.3, 0)),

        ["a lambda reading a captured struct local as it stands at each call"] = Body("""
            var p = new P(x, y);
            Func<double, double> f = t => t * p.X + p.Y;
            double a = f(2);
            p.X = 3;
            double b = f(y);
            return a * b;
            """, (0.7, 1.3, 0), (-2.0, 0.3, 0)),

        // ---- struct-valued expressions
        ["switch expressions producing structs"] = Body("""
            var p = n switch { 0 => new P(x, y), 1 => new P(y, x), _ => new P(x * y, x - y) };
            var q = x switch { > 1 => p, _ => -p };
            return p.X * 2 + p.Y + q.X * q.Y;
            """, (0.7, 1.3, 0), (1.7, 1.3, 1), (-2.0, 0.3, 2)),

        ["conditionals choosing between structs in a kept loop"] = Body("""
            var a = new P(x, y);
            var b = new P(y, x);
            for (int i = 0; i < n; i++)
            {
                var c = a.X > b.X ? a : b;
                a = c + new P(0.1, -0.2);
                b = i % 2 == 0 ? -b : (a.X > 0 ? b : a);
            }
            return a.X * b.Y + a.Y;
            """, (0.7, 1.3, 4), (-2.0, 0.3, 5)),

        ["a computed struct-valued property of a struct"] = Body("""
            var box = new Box { Min = new P(x, y), Max = new P(x + y, y * 3) };
            var c = box.Center;
            box.Max = box.Center + new P(1, 1);
            return c.X * box.Center.Y + box.Area + box.Center.Norm;
            """, (0.7, 1.3, 0), (-2.0, 0.3, 0)),

        ["a record class rebuilt with with in a kept loop"] = Body("""
            var r = new Rec(x, y);
            var first = r;
            for (int i = 0; i < n; i++)
            {
                r = r with { A = r.B * 0.5, B = r.A + r.Sum * 0.1 };
                if (r.A > 2) r = r with { A = 2 };
            }
            return r.A * first.B + r.Sum;
            """, (0.7, 1.3, 4), (3.0, 5.1, 3)),

        // ---- construction
        ["a struct constructor with field initializers and a body, and new S() with none of them"] = Program("""
            public struct S3
            {
                public double A = 2;
                public double B;
                public int K = 3;
                public S3(double b) { B = b * A; A += b; }
            }
            public static partial class C
            {
                [Differentiable]
                public static double F(double x, double y, int n)
                {
                    var s = new S3(x);
                    var d = new S3();
                    var e = default(S3);
                    var f = new S3(y) { K = n };
                    return s.A * s.B + s.K + d.A + d.K * x + e.K * y + f.K * f.B;
                }
            }
            """, (0.7, 1.3, 2), (-2.0, 0.3, 5)),

        ["a lambda taking and returning a struct, called on a loop-carried struct"] = Body("""
            Func<P, P> twice = q => q + q;
            Func<P, double> area = q => q.X * q.Y;
            var p = new P(x, y);
            double s = 0;
            for (int i = 0; i < n; i++)
            {
                p = twice(p) - new P(1, 0.5);
                s += area(p);
            }
            return s + twice(new P(y, x)).Y;
            """, (0.7, 1.3, 3), (-2.0, 0.3, 1), (0.4, -0.6, 0)),

        ["a nested object initializer on a struct field"] = Body("""
            var b = new Box { Min = { X = x, Y = y }, Max = new P(2, 3) };
            return b.Area + b.Min.X * b.Min.Y;
            """, (0.7, 1.3, 0), (-2.0, 0.3, 0)),
    };

    /// <summary>A float program whose only method is F with this body.</summary>
    private static Case FloatBody(string body, params (double, double, int)[] points) =>
        new("public static partial class C\n{\n    [Differentiable]\n    public static float F(float x, float y, int n)\n    {\n" + body + "\n    }\n}\n", points);

    private static readonly Dictionary<string, Case> Floats = new()
    {
        ["Vector2 locals carried through a kept loop with break"] = FloatBody("""
            var p = new Vector2(x, y);
            var v = new Vector2(y, -x) * 0.5f;
            for (int i = 0; i < n; i++)
            {
                p += 0.1f * v;
                v -= 0.1f * p;
                if (p.Length() > 3f) break;
            }
            return p.X * v.Y + Vector2.Dot(p, v) + p.LengthSquared();
            """, (0.7, 1.3, 6), (2.5, 1.9, 8)),

        ["Vector3 cross, normalize, a member assigned and a copy"] = FloatBody("""
            var a = new Vector3(x, y, 1f);
            var b = new Vector3(1f, x, y);
            var c = Vector3.Cross(a, b);
            c.Z = c.X * y;
            var d = Vector3.Normalize(c + a);
            var e = a;
            e.X = 5f;
            return d.X + d.Y * 2f + Vector3.Distance(a, b) + e.X * a.X - c.Y;
            """, (0.7, 1.3, 0), (-2.0, 0.3, 0)),

        ["a Vector2 building block returning from a branch, called in a kept loop"] = new("""
            public static partial class C
            {
                [Differentiable]
                public static Vector2 Bounce(Vector2 p, float floor)
                {
                    if (p.Y >= floor) return p;
                    var q = p;
                    q.Y = 2f * floor - p.Y;
                    return q;
                }

                [Differentiable]
                public static float F(float x, float y, int n)
                {
                    var p = new Vector2(x, y);
                    var v = new Vector2(0.3f, -0.5f);
                    for (int i = 0; i < n; i++)
                    {
                        p = Bounce(p + v, 0f);
                        v = p.Y < 0.2f ? -v : v * 0.9f;
                    }
                    return p.X * p.Y + v.X;
                }
            }
            """, [(0.7, 1.3, 5), (-0.4, 0.35, 7)]),

        ["a Vector4 built from a Vector3, with compound vector operators"] = FloatBody("""
            var v = new Vector4(new Vector3(x, y, x * y), 1f);
            v /= 2f;
            v += new Vector4(y);
            v *= v;
            return v.X * v.W + v.Z - (v - Vector4.One).Y + Vector4.Dot(v, Vector4.UnitZ);
            """, (0.7, 1.3, 0), (-2.0, 0.3, 0)),
    };

    public static TheoryData<string> DoublePrograms => new(Doubles.Keys);

    public static TheoryData<string> FloatPrograms => new(Floats.Keys);

    /// <summary>Generated code that compiles, with no SG diagnostic (anything else is a failure of a valid program).</summary>
    private static GeneratorRun Clean(string source)
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything(source); // the generator must not throw (checked by the harness)
        Assert.True(run.SymGradDiagnostics.Count == 0, "SymGrad refused a valid program:\n" + GeneratorRun.Describe(run.SymGradDiagnostics));
        run.AssertCompilesCleanly();
        return run;
    }

    private static double Relative(double a, double b) => Math.Abs(a - b) / (1 + Math.Abs(b));

    [Theory]
    [MemberData(nameof(DoublePrograms))]
    public void The_gradient_computes_the_methods_value_and_derivatives(string name)
    {
        Case c = Doubles[name];
        GeneratorRun run = Clean(Usings + Types + "\n" + c.Source + DoubleDriver);
        using LoadedAssembly loaded = run.Load();
        var value = loaded.Method("Driver", "Value").CreateDelegate<Func<double, double, int, double>>();
        var gradient = loaded.Method("Driver", "Gradient").CreateDelegate<Func<double, double, int, double[]>>();
        var tape = loaded.Method("Driver", "Tape").CreateDelegate<Func<double, double, int, double[]>>();
        double largest = 0;
        foreach ((double x, double y, int n) in c.Points)
        {
            string at = $"at x = {x}, y = {y}, n = {n}";
            double method = value(x, y, n);
            double[] g = gradient(x, y, n);
            Assert.True(method.Equals(g[0]), $"{at}: FGradient's value {g[0]:R}, the method's {method:R}");
            double[] t = tape(x, y, n);
            Assert.True(Relative(t[0], method) <= 1e-12, $"{at}: FTape's value {t[0]:R}, the method's {method:R}");
            double h = 1e-6;
            double[] differences =
            [
                (value(x + h, y, n) - value(x - h, y, n)) / (2 * h),
                (value(x, y + h, n) - value(x, y - h, n)) / (2 * h),
            ];
            for (int i = 0; i < 2; i++)
            {
                string wrt = i == 0 ? "d/dx" : "d/dy";
                Assert.True(Relative(g[i + 1], differences[i]) <= 1e-6, $"{at}: {wrt} {g[i + 1]:R}, central differences {differences[i]:R}");
                Assert.True(Relative(g[i + 1], t[i + 1]) <= 1e-11, $"{at}: {wrt} {g[i + 1]:R}, the tape's {t[i + 1]:R}");
                largest = Math.Max(largest, Math.Abs(g[i + 1]));
            }
        }
        Assert.True(largest > 1e-3, "every derivative is 0: the program tests nothing");
    }

    [Theory]
    [MemberData(nameof(FloatPrograms))]
    public void The_float_gradient_computes_the_methods_value_and_derivatives(string name)
    {
        Case c = Floats[name];
        GeneratorRun run = Clean(Usings + c.Source + FloatDriver);
        using LoadedAssembly loaded = run.Load();
        var value = loaded.Method("Driver", "Value").CreateDelegate<Func<float, float, int, float>>();
        var gradient = loaded.Method("Driver", "Gradient").CreateDelegate<Func<float, float, int, float[]>>();
        var tape = loaded.Method("Driver", "Tape").CreateDelegate<Func<float, float, int, double[]>>();
        double largest = 0;
        foreach ((double px, double py, int n) in c.Points)
        {
            float x = (float)px, y = (float)py;
            string at = $"at x = {x}, y = {y}, n = {n}";
            float method = value(x, y, n);
            float[] g = gradient(x, y, n);
            // Vector2.Length and Dot may sum with SIMD in another order than the component formula: the last bits only.
            Assert.True(Relative(g[0], method) <= 1e-5, $"{at}: FGradient's value {g[0]:R}, the method's {method:R}");
            double[] t = tape(x, y, n);
            Assert.True(Relative(t[0], method) <= 1e-5, $"{at}: FTape's value {t[0]:R}, the method's {method:R}");
            const float h = 1e-2f;
            double[] differences =
            [
                ((double)value(x + h, y, n) - value(x - h, y, n)) / (2.0 * h),
                ((double)value(x, y + h, n) - value(x, y - h, n)) / (2.0 * h),
            ];
            for (int i = 0; i < 2; i++)
            {
                string wrt = i == 0 ? "d/dx" : "d/dy";
                Assert.True(Relative(g[i + 1], t[i + 1]) <= 1e-4, $"{at}: {wrt} {g[i + 1]:R}, the double tape's {t[i + 1]:R}");
                Assert.True(Relative(g[i + 1], differences[i]) <= 2e-2, $"{at}: {wrt} {g[i + 1]:R}, float central differences {differences[i]:R}");
                largest = Math.Max(largest, Math.Abs(g[i + 1]));
            }
        }
        Assert.True(largest > 1e-3, "every derivative is 0: the program tests nothing");
    }

    // ---- documented limits: one SG diagnostic on the construct, never a wrong gradient.

    public static TheoryData<string, string, string, string> Refused => new()
    {
        {
            "a ref local to a struct",
            "public static partial class C { [Differentiable] public static double F(double x) { var p = new P(x, 1); ref P r = ref p; r.X = 2 * x; return p.X * x; } }",
            "SG0011", "r = ref p"
        },
        {
            "a struct returned from inside a kept while loop of a building block",
            """
            public static partial class C
            {
                [Differentiable] public static P Find(double x, int n) { var p = new P(x, 0); int i = 0; while (i < n) { p = p + new P(1, i); if (p.X > 3) return p; i++; } return -p; }
                [Differentiable] public static double F(double x, int n) => Find(x, n).X * x;
            }
            """,
            "SG0011,SG0014", "return p;,Find"
        },
        {
            "assigning a member of a record class (another name may see it)",
            "public record R2(double X) { public double Y { get; set; } }\npublic static partial class C { [Differentiable] public static double F(double x) { var r = new R2(x); var s = r; r.Y = x; return s.Y * x; } }",
            "SG0011", "r.Y = x"
        },
        {
            "an in parameter of a member that assigns this (the argument may be the receiver, which a copy would not see change)",
            "public struct A2 { public double X; public double Twice(in A2 o) { X = X * 2; return o.X + X; } }\npublic static partial class C { [Differentiable] public static double F(double x) { var a = new A2 { X = x }; return a.Twice(in a) + a.X; } }",
            "SG0011", "a.Twice(in a)"
        },
        {
            "a local function calling a member that changes a captured struct",
            "public static partial class C { [Differentiable] public static double F(double x) { var m = new M(x, 2); double Grow() => m.Scale(2); double g = Grow(); return g + m.X; } }",
            "SG0011", "Grow()"
        },
        {
            "a primary constructor parameter read by a member (the compiler keeps it in a hidden field)",
            "public struct Ring(double r) { public double K = 3; public readonly double Circ => 2 * r * K; }\npublic static partial class C { [Differentiable] public static double F(double x) => new Ring(x).Circ; }",
            "SG0011", "r"
        },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_documented_limit_is_one_diagnostic_on_its_construct(string name, string source, string ids, string located)
    {
        GeneratorRun run = GeneratorHarness.RunOnAnything(Usings + Types + "\n" + source);
        string[] expectedIds = ids.Split(','), expectedAt = located.Split(',');
        Assert.True(run.SymGradDiagnostics.Count == expectedIds.Length, $"{name}: " + GeneratorRun.Describe(run.SymGradDiagnostics));
        Assert.Equal(expectedIds.Zip(expectedAt, (i, l) => $"{i} [{l}]"), run.SymGradDiagnostics.Select(d => $"{d.Id} [{run.LocatedText(d)}]"));
        Assert.DoesNotContain(run.SymGradDiagnostics, d => d.Id == "SG0099");
    }
}
