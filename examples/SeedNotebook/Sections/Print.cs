using System.Globalization;

namespace SeedNotebook.Sections;

/// <summary>The example's plain, aligned output: section headings and tables of numbers, invariant culture.</summary>
public static class Print
{
    /// <summary>A numbered section heading, underlined, with a blank line before it.</summary>
    public static void Section(string title)
    {
        Console.WriteLine();
        Console.WriteLine(title);
        Console.WriteLine(new string('=', title.Length));
    }

    /// <summary>A round-trip number, as Python prints a float.</summary>
    public static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A number to four decimals, as PyTorch prints a tensor (no "-0.0000").</summary>
    public static string F4(double x) => (Math.Round(x, 4) == 0.0 ? 0.0 : x).ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>A small difference in scientific notation, two decimals (<c>5.68e-14</c>).</summary>
    public static string E(double x) => x.ToString("0.00e+00", CultureInfo.InvariantCulture);

    /// <summary>A titled table, every column right-aligned to the widest cell.</summary>
    public static void Table(string title, double[][] rows, Func<double, string> format)
    {
        string[][] cells = Array.ConvertAll(rows, r => Array.ConvertAll(r, x => format(x)));
        int width = cells.SelectMany(r => r).Max(c => c.Length);
        Console.WriteLine($"  {title}");
        foreach (string[] row in cells) Console.WriteLine("    " + string.Join("  ", row.Select(c => c.PadLeft(width))));
    }

    /// <summary>Two tables of the same shape side by side, under their own headings, each to four decimals.</summary>
    public static void SideBySide(string title, string left, double[][] a, string right, double[][] b)
    {
        const int cell = 8;
        int leftWidth = Math.Max(left.Length, a[0].Length * (cell + 1) - 1);
        Console.WriteLine($"  {title}");
        Console.WriteLine($"    {left.PadRight(leftWidth)}    {right}");
        for (int i = 0; i < a.Length; i++)
        {
            string l = string.Join(" ", a[i].Select(x => F4(x).PadLeft(cell)));
            string r = string.Join(" ", b[i].Select(x => F4(x).PadLeft(cell)));
            Console.WriteLine($"    {l.PadRight(leftWidth)}    {r}");
        }
    }

    /// <summary>The largest |a - b| over two tables of the same shape.</summary>
    public static double MaxAbsDiff(double[][] a, double[][] b) =>
        a.Zip(b, (ra, rb) => ra.Zip(rb, (x, y) => Math.Abs(x - y)).Max()).Max();
}
