using System.Globalization;
using SymGrad.Generators.Ir;

namespace SymGrad.Generators.Emitting;

/// <summary>Constants as C# literals that read back to the same bits.</summary>
internal static class Literals
{
    public static string Format(double value, ValType type)
    {
        switch (type)
        {
            case ValType.Bool: return value != 0 ? "true" : "false";
            case ValType.Int: return ((long)value).ToString(CultureInfo.InvariantCulture);
        }
        if (double.IsNaN(value)) return "double.NaN";
        if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
        if (value == 0 && System.BitConverter.DoubleToInt64Bits(value) < 0) return "-0.0";
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOfAny(new[] { '.', 'E', 'e' }) < 0) text += ".0";
        return text;
    }
}
