namespace SymGrad.Tests.Generator;

/// <summary>
/// One minimal bad method per SymGrad diagnostic (SG0099, an internal error, has no deliberate trigger). Each
/// entry: the id, a member to put in a partial class (or a whole type when it starts with "public class"), the
/// text of the syntax the diagnostic must be located on, and a word its message must contain.
/// </summary>
internal static class DiagnosticSources
{
    public sealed record BadMethod(string Id, string Code, string LocatedOn, string Names);

    /// <summary>Calls are inlined: three levels of 40 calls each, on different arguments (64,000 copies of the leaf).</summary>
    private static readonly string TooLargeCode =
        "[Differentiable] public static double TooLarge(double x) => " + Calls("T2") + ";\n"
        + "    [Differentiable] public static double T2(double x) => " + Calls("T1") + ";\n"
        + "    [Differentiable] public static double T1(double x) => " + Calls("T0") + ";\n"
        + "    [Differentiable] public static double T0(double x) => Math.Sin(x) * x;";

    private static string Calls(string callee) => string.Join(" + ", Enumerable.Range(1, 40).Select(k => $"{callee}(x + {k})"));

    public static readonly BadMethod[] All =
    [
        new("SG0001", "public partial struct InStruct { public double Scale; [Differentiable] public double NotStatic(double x) => Scale * x; }", "NotStatic", "'InStruct'"),
        new("SG0002", "public class NotPartial { [Differentiable] public static double InNotPartial(double x) => x; }", "NotPartial", "'NotPartial'"),
        new("SG0003", "[Differentiable] public static decimal ReturnsDecimal(double x) => (decimal)x;", "decimal", "'decimal'"),
        new("SG0004", "[Differentiable] public static double DecimalParameter(double a, decimal x) => a * (double)x;", "decimal x", "'x'"),
        new("SG0005", "[Differentiable] public static double Tries(double x) { try { x = x * 2; } finally { } return x; }", "try", "try statement"),
        new("SG0006", "[Differentiable] public static double Forever(double x) { double y = x; int k = 0; while (k < 3) y /= 2; return y; }", "k < 3", "always true"),
        new("SG0007", "[Differentiable] public static double UnknownCall(double x) => Math.BitDecrement(x) * x;", "Math.BitDecrement", "Math.BitDecrement"),
        new("SG0008", "[Differentiable] public static double WritesParameter(double[] v) { v[0] = 1; return v[0]; }", "v[0] = 1", "'v'"),
        new("SG0009", "[Differentiable] public static double NegativeIndex(double[] v) => v[-1] * 2;", "-1", "'-1'"),
        new("SG0010", "[Differentiable] public static double Recursive(double x) => x < 0 ? x : Recursive(x - 1);", "Recursive", "Recursive -> Recursive"),
        new("SG0011", "[Differentiable] public static double Remainder(double x) => x % 2.0 + x;", "x % 2.0", "'%'"),
        new("SG0012", "[Differentiable] public static double Generic<T>(double x) => x;", "Generic", "generic"),
        new("SG0013", TooLargeCode, "TooLarge", "'TooLarge'"),
        new("SG0014", "[Differentiable] public static double CallsBroken(double x) => Broken(x) + 1;\n    [Differentiable] public static double Broken(double x) { try { x = x * 2; } finally { } return x; }", "Broken", "Broken"),
        new("SG0015", "[Differentiable] public static double Clashes(double x) => x * x;\n    public static double ClashesGradient(double x, ref double dX) => 0;", "Clashes", "'ClashesGradient'"),
        new("SG0016", "[Differentiable(Modes = 0)] public static double NoMode(double x) => x * x;", "Differentiable(Modes = 0)", "no derivative"),
        new("SG0017", "[Differentiable] public static void NoOutput(double x, Span<double> r) { r[0] = x; }", "void", "[Output]"),
        new("SG0018", "[Differentiable] public static double UsesBadRule(double x) => Sq(x) + 1;\n    public static double Sq(double x) => x * x;\n    [DerivativeOf(nameof(Sq))] public static (double, double) SqDerivative(double x) => (x, x);", "Sq", "'SqDerivative'"),
        new("SG0019", "[Differentiable] public static float HalfDouble(float x) => (float)(x * 0.5);", "x * 0.5", "is double in the float method"),
        new("SG0020", "public struct Flag { public double X; public bool On; }\n    [Differentiable] public static double TakesFlag(Flag f) => f.X;", "Flag f", "is a bool"),
    ];

    /// <summary>The name of the (first) bad method of an entry.</summary>
    public static string MethodName(BadMethod bad) => System.Text.RegularExpressions.Regex.Match(bad.Code, @"(?:double|float|decimal|void) (\w+)[<(]").Groups[1].Value;

    /// <summary>A compilable file holding the given bad members (in <c>partial class Methods</c> unless they are types).</summary>
    public static string File(params BadMethod[] methods)
    {
        IEnumerable<string> members = methods.Where(m => !IsType(m.Code)).Select(m => "    " + m.Code);
        IEnumerable<string> types = methods.Where(m => IsType(m.Code)).Select(m => m.Code);
        return "using System;\nusing SymGrad;\n\nnamespace Bad;\n\npublic partial class Methods\n{\n"
               + string.Join("\n", members) + "\n}\n\n" + string.Join("\n", types) + "\n";
    }

    private static bool IsType(string code) => code.StartsWith("public class") || code.StartsWith("public partial struct");
}
