namespace SeedNotebook.Pictures;

/// <summary>
/// The few drawing calls the network diagram needs, so one layout is drawn both as SVG (<see cref="SvgCanvas"/>)
/// and as PNG (<see cref="SkiaCanvas"/>) and the two can never disagree. Colours are "#rrggbb".
/// </summary>
public interface IPictureCanvas
{
    void Line(double x1, double y1, double x2, double y2, string color, double width, double opacity = 1.0);

    /// <param name="data">Extra attributes for machine readers (the SVG writes them as data-*; PNG ignores them).</param>
    void Circle(double cx, double cy, double r, string fill, string stroke,
        IReadOnlyList<KeyValuePair<string, string>>? data = null);

    /// <summary>Text centred horizontally on <paramref name="x"/> and vertically on <paramref name="y"/>.</summary>
    void Text(double x, double y, string text, double size, bool bold = false, string color = "#000000");
}
