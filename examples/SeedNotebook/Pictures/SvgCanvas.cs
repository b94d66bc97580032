using System.Globalization;
using System.Security;
using System.Text;

namespace SeedNotebook.Pictures;

/// <summary>A deliberately tiny SVG writer: one element per call, numbers in invariant culture.</summary>
public sealed class SvgCanvas : IPictureCanvas
{
    private readonly StringBuilder _body = new();
    private readonly double _width, _height;

    public SvgCanvas(double width, double height, string background = "#ffffff")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        _width = width;
        _height = height;
        _body.Append($"  <rect width=\"{N(width)}\" height=\"{N(height)}\" fill=\"{background}\"/>\n");
    }

    public void Line(double x1, double y1, double x2, double y2, string color, double width, double opacity = 1.0) =>
        _body.Append($"  <line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{color}\" " +
                     $"stroke-width=\"{N(width)}\" stroke-opacity=\"{N(opacity)}\" stroke-linecap=\"round\"/>\n");

    public void Circle(double cx, double cy, double r, string fill, string stroke,
        IReadOnlyList<KeyValuePair<string, string>>? data = null)
    {
        _body.Append($"  <circle cx=\"{N(cx)}\" cy=\"{N(cy)}\" r=\"{N(r)}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"");
        foreach (var (key, value) in data ?? [])
            _body.Append($" data-{key}=\"{SecurityElement.Escape(value)}\"");
        _body.Append("/>\n");
    }

    public void Text(double x, double y, string text, double size, bool bold = false, string color = "#000000") =>
        _body.Append($"  <text x=\"{N(x)}\" y=\"{N(y)}\" font-family=\"DejaVu Sans, Arial, sans-serif\" " +
                     $"font-size=\"{N(size)}\"{(bold ? " font-weight=\"bold\"" : "")} fill=\"{color}\" " +
                     $"text-anchor=\"middle\" dominant-baseline=\"central\">{SecurityElement.Escape(text)}</text>\n");

    public override string ToString() =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(_width)}\" height=\"{N(_height)}\" " +
        $"viewBox=\"0 0 {N(_width)} {N(_height)}\">\n{_body}</svg>\n";

    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
