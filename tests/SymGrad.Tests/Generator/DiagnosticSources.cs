namespace SymGrad.Tests.Generator;

/// <summary>
/// One minimal bad method per SymGrad diagnostic (SG0099, an internal error, has no deliberate trigger). Each
/// entry: the id, a member to put in a partial class (or a whole type when it starts with "public class"), the
/// text of the syntax the diagnostic must be located on, and a word its message must contain.
/// </summary>
internal static class DiagnosticSources
{
    public sealed record BadMethod(string Id, string Code, string LocatedOn, string Names);

    public static readonly BadMethod[] All =
    [
        new("SG0001", "[Differentiable] public double NotStatic(double x) => x;", "NotStatic", "'NotStatic'"),
        new("SG0002", "public class NotPartial { [Differentiable] public static double InNotPartial(double x) => x; }", "NotPartial", "'NotPartial'"),
        new("SG0003", "[Differentiable] public static float ReturnsFloat(double x) => (float)x;", "float", "'float'"),
        new("SG0004", "[Differentiable] public static double FloatParameter(double a, float x) => a * x;", "float x", "'x'"),
        new("SG0005", "[Differentiable] public static double WhileLoop(double x) { double y = x; while (y > 1) y /= 2; return y; }", "while", "while loop"),
        new("SG0006", "[Differentiable] public static double RuntimeBound(double[] v, int n) { double s = 0; for (int i = 0; i < n; i++) s += v[0]; return s; }", "i < n", "i < n"),
        new("SG0007", "[Differentiable] public static double UnknownCall(double x) => Math.Cosh(x) * x;", "Math.Cosh", "Math.Cosh"),
        new("SG0008", "[Differentiable] public static double WritesParameter(double[] v) { v[0] = 1; return v[0]; }", "v[0] = 1", "'v'"),
        new("SG0009", "[Differentiable] public static double RuntimeIndex(double[] v, int n) => v[n] * 2;", "n", "'n'"),
        new("SG0010", "[Differentiable] public static double Recursive(double x) => x < 0 ? x : Recursive(x - 1);", "Recursive", "Recursive -> Recursive"),
        new("SG0011", "[Differentiable] public static double Remainder(double x) => x % 2.0 + x;", "x % 2.0", "'%'"),
        new("SG0012", "[Differentiable] public static double Generic<T>(double x) => x;", "Generic", "generic"),
        new("SG0013", "[Differentiable] public static double TooLarge(double x) { double s = 0; for (int i = 0; i < 300000; i++) s += x; return s; }", "for (int i = 0; i < 300000; i++) s += x;", "'TooLarge'"),
        new("SG0014", "[Differentiable] public static double CallsBroken(double x) => Broken(x) + 1;\n    [Differentiable] public static double Broken(double x) { do x /= 2; while (x > 1); return x; }", "Broken", "Broken"),
        new("SG0015", "[Differentiable] public static double Clashes(double x) => x * x;\n    public static double ClashesGradient(double x, ref double dX) => 0;", "Clashes", "'ClashesGradient'"),
        new("SG0016", "[Differentiable(Modes = 0)] public static double NoMode(double x) => x * x;", "Differentiable(Modes = 0)", "no derivative"),
    ];

    /// <summary>A compilable file holding the given bad members (in <c>partial class Methods</c> unless they are types).</summary>
    public static string File(params BadMethod[] methods)
    {
        IEnumerable<string> members = methods.Where(m => !m.Code.StartsWith("public class")).Select(m => "    " + m.Code);
        IEnumerable<string> types = methods.Where(m => m.Code.StartsWith("public class")).Select(m => m.Code);
        return "using System;\nusing SymGrad;\n\nnamespace Bad;\n\npublic partial class Methods\n{\n"
               + string.Join("\n", members) + "\n}\n\n" + string.Join("\n", types) + "\n";
    }
}
