using System.Collections.Concurrent;
using System.Globalization;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Ir.Rules;

namespace SymGrad.Generators.Emitting;

/// <summary>
/// How the method's floating-point type reads in the emitted code: <c>double</c> or <c>float</c>, its spans, its
/// literals, its math class. The rule table spells every operation on <c>double</c>; a <c>float</c> method's spelling
/// is derived from it here, in one place (<c>Math.Exp</c> → <c>MathF.Exp</c>, <c>SymMath</c> → <c>SymMathF</c>, <c>double.IsNaN</c> →
/// <c>float.IsNaN</c>, <c>(double)</c> → <c>(float)</c>, <c>0.0</c> → <c>0f</c>), so a new operation is still one entry.
/// The tape (<c>GradientTape</c>) holds doubles: a float is saved exactly and cast back when restored.
/// </summary>
internal sealed class RealType
{
    public static readonly RealType Double = new(Real.Double, "double", "0.0", "1.0");
    public static readonly RealType Single = new(Real.Single, "float", "0f", "1f");

    private readonly ConcurrentDictionary<Spelling, Spelling> _spellings = new();

    private RealType(Real real, string name, string zero, string one)
    {
        Real = real;
        Name = name;
        Zero = zero;
        One = one;
    }

    public static RealType Of(Real real) => real == Real.Single ? Single : Double;

    public Real Real { get; }

    /// <summary><c>double</c> or <c>float</c>.</summary>
    public string Name { get; }

    public string Zero { get; }

    public string One { get; }

    public string Span => $"global::System.Span<{Name}>";

    public string ReadOnlySpan => $"global::System.ReadOnlySpan<{Name}>";

    /// <summary>The arena call that hands out a zeroed local array of this type.</summary>
    public string Allocate => Real == Real.Single ? "AllocateSingle" : "Allocate";

    /// <summary>A value read back from the tape or a frame (doubles): cast back to float, which is exact.</summary>
    public string FromDouble(string text) => Real == Real.Single ? "(float)" + text : text;

    /// <summary>The precedence of <see cref="FromDouble"/>'s text, given the text's own.</summary>
    public int FromDoublePrecedence(int precedence) => Real == Real.Single ? Prec.Unary : precedence;

    /// <summary>A constant as a literal of its type that reads back to the same bits (a float constant is float-exact).</summary>
    public string Literal(double value, ValType type)
    {
        if (type != ValType.Double || Real == Real.Double) return Literals.Format(value, type);
        float f = (float)value;
        if (float.IsNaN(f)) return "float.NaN";
        if (float.IsPositiveInfinity(f)) return "float.PositiveInfinity";
        if (float.IsNegativeInfinity(f)) return "float.NegativeInfinity";
        if (f == 0 && System.BitConverter.DoubleToInt64Bits(value) < 0) return "-0f";
        return f.ToString("R", CultureInfo.InvariantCulture) + "f";
    }

    /// <summary>An operation's C# spelling in this type (the table's own for double).</summary>
    public Spelling Spell(Spelling spelling) =>
        Real == Real.Double ? spelling : _spellings.GetOrAdd(spelling, s => s with
        {
            Template = s.Template.Replace("global::System.Math.", "global::System.MathF.").Replace("global::SymGrad.SymMath.", "global::SymGrad.SymMathF.")
                .Replace("double.", "float.")
                .Replace("(double)", "(float)").Replace("(0.0, ", "(0f, "),
        });
}
