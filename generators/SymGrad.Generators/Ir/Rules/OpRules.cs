using System;
using System.Collections.Generic;
using System.Linq;

namespace SymGrad.Generators.Ir.Rules;

/// <summary>
/// The table of every operation of the IR (see <see cref="OpRule"/>). Folding is done only where it is exact and
/// platform-independent in IEEE arithmetic (+ - * /, comparisons, conversions; never a transcendental, whose last
/// bit may differ between the compiler's runtime and the program's). Local derivatives are the <c>Value</c> tape's
/// formulas, so the generated gradient and the tape agree on NaN and infinity to the bit.
/// </summary>
internal static class OpRules
{
    private const string Math = "global::System.Math";
    private const string ValueMath = "global::SymGrad.ValueMath";

    private static readonly Dictionary<Op, OpRule> Table = Build();

    /// <summary>The rule of <paramref name="op"/>; an operation without one is an internal error (reported as SG0099).</summary>
    public static OpRule Of(Op op) =>
        Table.TryGetValue(op, out OpRule? rule) ? rule : throw new InvalidOperationException($"the operation {op} has no entry in the rule table");

    /// <summary>Every rule, for tests that check each entry.</summary>
    public static IEnumerable<OpRule> All => Table.Values;

    /// <summary>
    /// Rules by the method a call names: <c>System.Math.Exp</c>, and the same function's <c>double.Exp</c> static
    /// form (the generic-math statics of <c>double</c> call Math's; both spell <c>Math.Exp</c> in the output).
    /// </summary>
    private static readonly Dictionary<(string, int), OpRule> BySource = SourceNames();

    private static Dictionary<(string, int), OpRule> SourceNames()
    {
        var names = new Dictionary<(string, int), OpRule>();
        foreach (OpRule rule in Table.Values.Where(r => r.Source is not null))
        {
            names.Add((rule.Source!, rule.Arity), rule);
            const string math = "System.Math.";
            if (rule.Source!.StartsWith(math, StringComparison.Ordinal)) names.Add(("double." + rule.Source.Substring(math.Length), rule.Arity), rule);
        }
        return names;
    }

    /// <summary>The operation a call of <paramref name="method"/> (full name, e.g. <c>System.Math.Exp</c>) with <paramref name="arity"/> arguments is, if any.</summary>
    public static OpRule? ForCall(string method, int arity) => BySource.TryGetValue((method, arity), out OpRule? rule) ? rule : null;

    private static Dictionary<Op, OpRule> Build()
    {
        var rules = new List<OpRule>
        {
            // ---- unary on doubles: functions of Math and SymMath ----
            Function(Op.Exp, Math + ".Exp", (s, _) => Partial.Times(s.Result)),
            Function(Op.Log, Math + ".Log", (s, _) => Partial.Times(s.B.Binary(Op.Div, s.One, s.A))),
            Function(Op.Sqrt, Math + ".Sqrt", (s, _) => Partial.Times(s.B.Binary(Op.Div, s.B.Const(0.5), s.Result))),
            Function(Op.Tanh, Math + ".Tanh", (s, _) => Partial.Times(s.OneMinus(s.Mul(s.Result, s.Result)))),
            Function(Op.Sin, Math + ".Sin", (s, _) => Partial.Times(s.B.Unary(Op.Cos, s.A))),
            Function(Op.Cos, Math + ".Cos", (s, _) => Partial.MinusTimes(s.B.Unary(Op.Sin, s.A))),
            Function(Op.Tan, Math + ".Tan", (s, _) => Partial.Times(s.B.Binary(Op.Add, s.One, s.Mul(s.Result, s.Result)))),
            Function(Op.Atan, Math + ".Atan", (s, _) => Partial.Times(s.B.Binary(Op.Div, s.One, s.B.Binary(Op.Add, s.One, s.Mul(s.A, s.A))))),
            // sign(a), with sign(0) = 0 (and 0 at NaN): Abs'(0) = 0, one-sided like ReLU.
            Function(Op.Abs, Math + ".Abs", (s, _) => Partial.Times(s.B.Select(s.B.Compare(Op.Gt, s.A, s.Zero), s.One,
                s.B.Select(s.B.Compare(Op.Lt, s.A, s.Zero), s.B.Const(-1.0), s.Zero)))) with { SourceTakesInts = true },
            // One-sided at the kink: Relu'(0) = 0, as micrograd and PyTorch; 0 at NaN too.
            Function(Op.Relu, "global::SymGrad.SymMath.Relu", (s, _) => Partial.Times(s.Mask(s.B.Compare(Op.Gt, s.A, s.Zero))))
                with { CSharp = new Spelling(Math + ".Max(0.0, {0})", Prec.Primary, Prec.Conditional, 0) },
            Function(Op.Sigmoid, "global::SymGrad.SymMath.Sigmoid", (s, _) => Partial.Times(s.Mul(s.Result, s.OneMinus(s.Result)))),
            Function(Op.Softplus, "global::SymGrad.SymMath.Softplus", (s, _) => Partial.Times(s.B.Unary(Op.Sigmoid, s.A))),

            // ---- the rest of Math: inverse and hyperbolic functions, other bases, cube root ----
            // 1 / sqrt(1 - x^2): +Infinity at |x| = 1, NaN outside [-1, 1] (where the value is NaN too).
            Function(Op.Asin, Math + ".Asin", (s, _) => Partial.Times(InverseSqrt(s, s.OneMinus(s.Mul(s.A, s.A))))),
            Function(Op.Acos, Math + ".Acos", (s, _) => Partial.MinusTimes(InverseSqrt(s, s.OneMinus(s.Mul(s.A, s.A))))),
            Function(Op.Sinh, Math + ".Sinh", (s, _) => Partial.Times(s.B.Unary(Op.Cosh, s.A))),
            Function(Op.Cosh, Math + ".Cosh", (s, _) => Partial.Times(s.B.Unary(Op.Sinh, s.A))),
            // 1 / sqrt(x^2 + 1): x^2 overflows past |x| ~ 1e154, where the derivative (~1/|x|) is taken as 0.
            Function(Op.Asinh, Math + ".Asinh", (s, _) => Partial.Times(InverseSqrt(s, s.B.Binary(Op.Add, s.Mul(s.A, s.A), s.One)))),
            // 1 / (sqrt(x - 1) sqrt(x + 1)): no x^2 to overflow; +Infinity at 1, NaN below.
            Function(Op.Acosh, Math + ".Acosh", (s, _) => Partial.Times(s.B.Binary(Op.Div, s.One,
                s.Mul(s.B.Unary(Op.Sqrt, s.B.Binary(Op.Sub, s.A, s.One)), s.B.Unary(Op.Sqrt, s.B.Binary(Op.Add, s.A, s.One)))))),
            // 1 / (1 - x^2): +-Infinity at |x| = 1.
            Function(Op.Atanh, Math + ".Atanh", (s, _) => Partial.Times(s.B.Binary(Op.Div, s.One, s.OneMinus(s.Mul(s.A, s.A))))),
            Function(Op.Log10, Math + ".Log10", (s, _) => Partial.Times(s.B.Binary(Op.Div, s.One, s.Mul(s.A, s.B.Const(Ln10))))),
            Function(Op.Log2, Math + ".Log2", (s, _) => Partial.Times(s.B.Binary(Op.Div, s.One, s.Mul(s.A, s.B.Const(Ln2))))),
            Function(Op.Exp2, "double.Exp2", (s, _) => Partial.Times(s.Mul(s.Result, s.B.Const(Ln2)))),
            Function(Op.Exp10, "double.Exp10", (s, _) => Partial.Times(s.Mul(s.Result, s.B.Const(Ln10)))),
            // 1 / (3 cbrt(x)^2): +Infinity at 0, as sqrt.
            Function(Op.Cbrt, Math + ".Cbrt", (s, _) => Partial.Times(s.B.Binary(Op.Div, s.One, s.Mul(s.B.Const(3.0), s.Mul(s.Result, s.Result))))),

            // ---- piecewise constant: derivative 0 wherever it exists (documented), so never active ----
            Rounding(Op.Floor, System.Math.Floor),
            Rounding(Op.Ceiling, System.Math.Ceiling),
            Rounding(Op.Truncate, System.Math.Truncate),
            Rounding(Op.Round, System.Math.Round), // to even, as Math.Round(double)
            // An int; Math.Sign throws on NaN, so NaN is not folded (the program throws where the method does).
            new(Op.Sign, 1, ResultType.Int)
            {
                Fold = (_, x, _) => double.IsNaN(x) ? null : System.Math.Sign(x),
                CSharp = Spelling.Call(Math + ".Sign", 1), Source = "System.Math.Sign", SourceTakesInts = true, Temporary = "sign",
            },
            // The value through, the derivative stopped: what the caller wants held constant (a target, a baseline).
            new(Op.StopGradient, 1, ResultType.SameAsOperand)
            {
                NoDerivative = true, CSharp = Spelling.Call("global::SymGrad.SymMath.StopGradient", 1),
                Source = "SymGrad.SymMath.StopGradient", Temporary = "stopped",
            },
            Test(Op.IsFinite, x => !double.IsNaN(x) && !double.IsInfinity(x)), // netstandard2.0 has no double.IsFinite
            Test(Op.IsInfinity, double.IsInfinity),
            Test(Op.IsPositiveInfinity, double.IsPositiveInfinity),
            Test(Op.IsNegativeInfinity, double.IsNegativeInfinity),

            // ---- unary operators and conversions ----
            new(Op.Neg, 1, ResultType.SameAsOperand)
            {
                Fold = (t, x, _) => t == ValType.Int ? unchecked((int)-(long)x) : -x,
                CSharp = Spelling.Prefix("-"), Tape = Spelling.Prefix("-"),
                Partial = (_, _) => Partial.MinusOne,
            },
            new(Op.Not, 1, ResultType.Bool) { Fold = (_, x, _) => x == 0 ? 1 : 0, CSharp = Spelling.Prefix("!") },
            Test(Op.IsNaN, double.IsNaN),
            new(Op.IntToDouble, 1, ResultType.Double) { Fold = (_, x, _) => x, CSharp = Spelling.Prefix("(double)") },
            new(Op.DoubleToInt, 1, ResultType.Int)
            {
                // Out of range the conversion is unspecified in unchecked C#: left to the program's own runtime.
                // + 0.0: an int has no -0, so (int)-0.5 is a plain 0 (Truncate alone keeps the sign: found by RuleFoldingTests).
                Fold = (_, x, _) => x > int.MinValue - 1.0 && x < int.MaxValue + 1.0 ? System.Math.Truncate(x) + 0.0 : null,
                CSharp = Spelling.Prefix("(int)"),
            },

            // ---- arithmetic ----
            Arithmetic(Op.Add, "+", Prec.Additive, (x, y) => x + y, (a, b) => a + b, (_, _) => Partial.One),
            Arithmetic(Op.Sub, "-", Prec.Additive, (x, y) => x - y, (a, b) => a - b, (_, k) => k == 0 ? Partial.One : Partial.MinusOne),
            Arithmetic(Op.Mul, "*", Prec.Multiplicative, (x, y) => x * y, (a, b) => a * b, (s, k) => Partial.Times(k == 0 ? s.Second : s.A)),
            // Locals 1/b and -(a/b)/b, the latter as -(r * (1/b)): no b*b to overflow.
            Arithmetic(Op.Div, "/", Prec.Multiplicative, (x, y) => x / y, (a, b) => b == 0 || (a == int.MinValue && b == -1) ? null : a / b,
                (s, k) =>
                {
                    int inverse = s.B.Binary(Op.Div, s.One, s.Second);
                    return k == 0 ? Partial.Times(inverse) : Partial.MinusTimes(s.Mul(s.Result, inverse));
                }),
            // % on doubles is C#, but not SymGrad's language (SG0011): here an int operation, never differentiated.
            Arithmetic(Op.Rem, "%", Prec.Multiplicative, null, (a, b) => b == 0 || (a == int.MinValue && b == -1) ? null : a % b, null),
            new(Op.Pow, 2, ResultType.SameAsOperand)
            {
                CSharp = Spelling.Call(Math + ".Pow", 2), Tape = Spelling.Call(ValueMath + ".Pow", 2), Temporary = "pow", Partial = PowPartial,
                Source = "System.Math.Pow",
            },
            MaxMin(Op.Max, Op.Gt),
            MaxMin(Op.Min, Op.Lt),
            // atan2(y, x): d/dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2); NaN at the origin (0 / 0), as the tape.
            new(Op.Atan2, 2, ResultType.SameAsOperand)
            {
                CSharp = Spelling.Call(Math + ".Atan2", 2), Tape = Spelling.Call(ValueMath + ".Atan2", 2), Temporary = "atan2",
                Source = "System.Math.Atan2",
                Partial = (s, k) =>
                {
                    int inverse = s.B.Binary(Op.Div, s.One, s.B.Binary(Op.Add, s.Mul(s.Second, s.Second), s.Mul(s.A, s.A)));
                    return k == 0 ? Partial.Times(s.Mul(s.Second, inverse)) : Partial.MinusTimes(s.Mul(s.A, inverse));
                },
            },
            // Math.Log(a, b) itself (its special cases at b = 1, 0, Infinity are the runtime's): d/da = 1 / (a ln b),
            // d/db = -log_b(a) / (b ln b).
            new(Op.LogBase, 2, ResultType.SameAsOperand)
            {
                CSharp = Spelling.Call(Math + ".Log", 2), Tape = Spelling.Call(ValueMath + ".Log", 2), Temporary = "log",
                Source = "System.Math.Log",
                Partial = (s, k) =>
                {
                    int lnB = s.B.Unary(Op.Log, s.Second);
                    return k == 0 ? Partial.Times(s.B.Binary(Op.Div, s.One, s.Mul(s.A, lnB)))
                        : Partial.MinusTimes(s.B.Binary(Op.Div, s.Result, s.Mul(s.Second, lnB)));
                },
            },
            // |a| with b's sign: d/da = sign(a) sign(b) by their sign bits (so +-1 at zero too); b only gives the sign.
            new(Op.CopySign, 2, ResultType.SameAsOperand)
            {
                Fold = (t, x, y) => t == ValType.Int ? null : CopySign(x, y),
                CSharp = Spelling.Call(Math + ".CopySign", 2), Tape = Spelling.Call(ValueMath + ".CopySign", 2), Temporary = "copysign",
                Source = "System.Math.CopySign",
                Partial = (s, k) => k == 1 ? Partial.Zero
                    : Partial.Times(s.Mul(s.B.Binary(Op.CopySign, s.One, s.A), s.B.Binary(Op.CopySign, s.One, s.Second))),
            },
            Magnitude(Op.MaxMagnitude, Op.Gt),
            Magnitude(Op.MinMagnitude, Op.Lt),

            // ---- int arithmetic in a checked context: the generated code keeps the check, so it throws an
            // OverflowException where the method does; folded only when the result is in range (never active) ----
            Checked(Op.CheckedAdd, "+", Prec.Additive, (a, b) => a + b),
            Checked(Op.CheckedSub, "-", Prec.Additive, (a, b) => a - b),
            Checked(Op.CheckedMul, "*", Prec.Multiplicative, (a, b) => a * b),
            new(Op.CheckedNeg, 1, ResultType.SameAsOperand)
            {
                Fold = (t, x, _) => t == ValType.Int && x != int.MinValue ? 0.0 - x : null, // 0 - x: an int has no -0
                CSharp = new Spelling("checked(-{0})", Prec.Primary, Prec.Unary + 1, 0),
            },
            new(Op.CheckedDoubleToInt, 1, ResultType.Int)
            {
                // In range (after truncation) as the unchecked conversion; otherwise, and at NaN, left to throw at run time.
                Fold = (_, x, _) => x > int.MinValue - 1.0 && x < int.MaxValue + 1.0 ? System.Math.Truncate(x) + 0.0 : null,
                CSharp = new Spelling("checked((int){0})", Prec.Primary, Prec.Unary + 1, 0),
            },

            // ---- logic and comparisons ----
            Logic(Op.And, "&&", Prec.And, (x, y) => x && y),
            Logic(Op.Or, "||", Prec.Or, (x, y) => x || y),
            Comparison(Op.Lt, "<", Prec.Relational, (x, y) => x < y),
            Comparison(Op.Le, "<=", Prec.Relational, (x, y) => x <= y),
            Comparison(Op.Gt, ">", Prec.Relational, (x, y) => x > y),
            Comparison(Op.Ge, ">=", Prec.Relational, (x, y) => x >= y),
            Comparison(Op.Eq, "==", Prec.Equality, (x, y) => x == y),
            Comparison(Op.Ne, "!=", Prec.Equality, (x, y) => x != y),
        };
        var table = new Dictionary<Op, OpRule>();
        foreach (OpRule rule in rules) table.Add(rule.Op, rule);
        return table;
    }

    /// <summary><c>ln 2</c> and <c>ln 10</c> to the last bit, written out so the tape (<c>ValueMath</c>) uses the very same constants.</summary>
    private const double Ln2 = 0.6931471805599453, Ln10 = 2.302585092994046;

    /// <summary>A function of one double, the same name on the tape (<c>ValueMath</c>); its temporary is named after it.</summary>
    private static OpRule Function(Op op, string function, Func<RuleSite, int, Partial> partial) =>
        new(op, 1, ResultType.SameAsOperand)
        {
            CSharp = Spelling.Call(function, 1), Tape = Spelling.Call(ValueMath + "." + op, 1),
            Temporary = op.ToString().ToLowerInvariant(), Partial = partial,
            Source = function.StartsWith("global::", StringComparison.Ordinal) ? function.Substring("global::".Length) : function,
        };

    /// <summary>Math.CopySign, which netstandard2.0 lacks: x's magnitude bits with y's sign bit.</summary>
    private static double CopySign(double x, double y) => BitConverter.Int64BitsToDouble(
        (BitConverter.DoubleToInt64Bits(x) & long.MaxValue) | (BitConverter.DoubleToInt64Bits(y) & long.MinValue));

    private static int InverseSqrt(RuleSite s, int x) => s.B.Binary(Op.Div, s.One, s.B.Unary(Op.Sqrt, x));

    /// <summary>Floor, Ceiling, Truncate, Round: exact, so folded; piecewise constant, so never active.</summary>
    private static OpRule Rounding(Op op, Func<double, double> f) =>
        new(op, 1, ResultType.SameAsOperand)
        {
            Fold = (t, x, _) => t == ValType.Int ? null : f(x), NoDerivative = true,
            CSharp = Spelling.Call(Math + "." + op, 1), Source = "System.Math." + op, Temporary = op.ToString().ToLowerInvariant(),
        };

    /// <summary><c>double.IsNaN</c> and its kin: a bool of a double, for conditions.</summary>
    private static OpRule Test(Op op, Func<double, bool> f) =>
        new(op, 1, ResultType.Bool)
        {
            Fold = (_, x, _) => f(x) ? 1 : 0, CSharp = Spelling.Call("double." + op, 1), Source = "double." + op,
            Temporary = op.ToString().ToLowerInvariant(),
        };

    /// <summary>
    /// MaxMagnitude and MinMagnitude, computed by Math itself (its rules for ties and NaN); the whole adjoint goes to
    /// the operand Math returns: the first when its magnitude wins strictly, or at a tie of +t and -t when it is the
    /// one Math picks (+t for Max, -t for Min: there the function is that operand on both sides, found by the loop
    /// fuzz); equal operands give it to the second, as Max and Min do.
    /// </summary>
    private static OpRule Magnitude(Op op, Op firstWinsWhen) =>
        new(op, 2, ResultType.SameAsOperand)
        {
            CSharp = Spelling.Call(Math + "." + op, 2), Tape = Spelling.Call(ValueMath + "." + op, 2),
            Temporary = op.ToString().ToLowerInvariant(), Source = "System.Math." + op,
            Partial = (s, k) =>
            {
                int absA = s.B.Unary(Op.Abs, s.A), absB = s.B.Unary(Op.Abs, s.Second);
                int tieWon = s.B.Binary(Op.And, s.B.Compare(Op.Eq, absA, absB), s.B.Compare(firstWinsWhen, s.A, s.Second));
                int firstWins = s.B.Binary(Op.Or, s.B.Compare(firstWinsWhen, absA, absB), tieWon);
                return Partial.Times(k == 0 ? s.B.Select(firstWins, s.One, s.Zero) : s.B.Select(firstWins, s.Zero, s.One));
            },
        };

    /// <summary>
    /// + - * / %: exact on doubles, and on ints with C#'s unchecked wrap-around (division by zero, and int.MinValue
    /// / -1, throw at run time, so they are left to the program).
    /// </summary>
    private static OpRule Arithmetic(Op op, string symbol, int prec, Func<double, double, double>? onDoubles,
                                     Func<long, long, long?> onInts, Func<RuleSite, int, Partial>? partial) =>
        new(op, 2, ResultType.SameAsOperand)
        {
            Fold = (t, x, y) => t == ValType.Int
                ? onInts((long)x, (long)y) is long r ? unchecked((int)r) : null
                : onDoubles?.Invoke(x, y),
            CSharp = Spelling.Infix(symbol, prec), Tape = partial is null ? null : Spelling.Infix(symbol, prec),
            Partial = partial,
        };

    /// <summary>An int operation of a checked context, spelled <c>checked(a op b)</c>: folded only when it does not overflow.</summary>
    private static OpRule Checked(Op op, string symbol, int prec, Func<long, long, long> onInts) =>
        new(op, 2, ResultType.SameAsOperand)
        {
            Fold = (t, x, y) => t == ValType.Int && onInts((long)x, (long)y) is long r && r >= int.MinValue && r <= int.MaxValue ? r : null,
            CSharp = new Spelling("checked({0} " + symbol + " {1})", Prec.Primary, prec, prec + 1),
        };

    /// <summary>
    /// The whole adjoint goes to the winner; ties go to the second argument (documented). Folded on ints only
    /// (on doubles Math.Max has its own NaN and signed-zero rules, left to the runtime).
    /// </summary>
    private static OpRule MaxMin(Op op, Op firstWinsWhen) =>
        new(op, 2, ResultType.SameAsOperand)
        {
            Fold = (t, x, y) => t == ValType.Int ? (op == Op.Max ? System.Math.Max(x, y) : System.Math.Min(x, y)) : null,
            CSharp = Spelling.Call(Math + "." + op, 2), Tape = Spelling.Call(ValueMath + "." + op, 2),
            Temporary = op.ToString().ToLowerInvariant(), Source = "System.Math." + op, SourceTakesInts = true,
            Partial = (s, k) =>
            {
                int firstWins = s.B.Compare(firstWinsWhen, s.A, s.Second);
                return Partial.Times(k == 0 ? s.B.Select(firstWins, s.One, s.Zero) : s.B.Select(firstWins, s.Zero, s.One));
            },
        };

    /// <summary>
    /// d/da = b a^(b-1), 0 when b = 0; d/db = r ln a, 0 at a = 0 with b >= 0 (the limits, as PyTorch and the tape).
    /// A constant exponent folds the test away: x^2 gets 2x, x^0 gets 0.
    /// </summary>
    private static Partial PowPartial(RuleSite s, int k)
    {
        IrBuilder b = s.B;
        if (k == 1)
        {
            int atZero = b.Binary(Op.And, b.Compare(Op.Eq, s.A, s.Zero), b.Compare(Op.Ge, s.Second, s.Zero));
            return Partial.Times(b.Select(atZero, s.Zero, s.Mul(s.Result, b.Unary(Op.Log, s.A))));
        }
        if (b.TryGetConst(s.Second, out double c))
        {
            return Partial.Times(c == 0 ? s.Zero : c == 2 ? s.Mul(b.Const(2.0), s.A) : s.Mul(s.Second, b.Binary(Op.Pow, s.A, b.Const(c - 1))));
        }
        return Partial.Times(b.Select(b.Compare(Op.Eq, s.Second, s.Zero), s.Zero,
            s.Mul(s.Second, b.Binary(Op.Pow, s.A, b.Binary(Op.Sub, s.Second, s.One)))));
    }

    private static OpRule Logic(Op op, string symbol, int prec, Func<bool, bool, bool> f) =>
        new(op, 2, ResultType.Bool) { Fold = (_, x, y) => f(x != 0, y != 0) ? 1 : 0, CSharp = Spelling.Infix(symbol, prec), Temporary = "cond" };

    private static OpRule Comparison(Op op, string symbol, int prec, Func<double, double, bool> f) =>
        new(op, 2, ResultType.Bool) { Fold = (_, x, y) => f(x, y) ? 1 : 0, CSharp = Spelling.Infix(symbol, prec), Temporary = "cond" };
}
