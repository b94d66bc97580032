using System.Globalization;

namespace SeedNotebook.Pictures;

/// <summary>
/// The notebook's network picture (its cell [7], <c>visualize_nn</c>): layers 3-4-4-1 left to right, each node
/// labelled with its value to 2 decimals, light green where the value is &gt; 0 and light coral where it is ≤ 0 —
/// the input layer too, by the sign of the input, as the notebook's cell does. Edges: width ∝ |w| (one scale
/// for every panel of a picture, so panels compare), blue for w &gt; 0 and orange for w &lt; 0.
/// </summary>
public static class NetworkDiagram
{
    public const string Positive = "#90ee90";  // matplotlib 'lightgreen'
    public const string NonPositive = "#f08080"; // matplotlib 'lightcoral'
    public const string PositiveWeight = "#1f77b4";
    public const string NegativeWeight = "#ff7f0e";

    public const double PanelWidth = 460, PanelHeight = 380;
    private const double NodeRadius = 22, MaxEdgeWidth = 7;
    private static readonly string[] LayerNames = ["input", "hidden 1", "hidden 2", "output"];

    /// <summary>One panel: a title, the parameters and the input it shows.</summary>
    public sealed record Panel(string Title, double[] Parameters, double[] Input);

    public static string NodeColor(double value) => value > 0 ? Positive : NonPositive;

    /// <summary>Draws the panels side by side; returns nothing, the canvas holds the picture.</summary>
    public static void Draw(IPictureCanvas canvas, IReadOnlyList<Panel> panels)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(panels);
        // Shared width scale: the thickest edge of ALL panels gets MaxEdgeWidth.
        double maxAbs = panels.SelectMany(p => AllEdgeWeights(p.Parameters)).Select(Math.Abs).DefaultIfEmpty(1).Max();
        double scale = MaxEdgeWidth / Math.Max(maxAbs, 1e-12);
        for (int i = 0; i < panels.Count; i++) DrawPanel(canvas, panels[i], i * PanelWidth, scale);
    }

    public static string ToSvg(IReadOnlyList<Panel> panels)
    {
        var svg = new SvgCanvas(PanelWidth * panels.Count, PanelHeight);
        Draw(svg, panels);
        return svg.ToString();
    }

    public static void SavePng(IReadOnlyList<Panel> panels, string path)
    {
        using var png = new SkiaCanvas((int)(PanelWidth * panels.Count), (int)PanelHeight);
        Draw(png, panels);
        png.SavePng(path);
    }

    private static void DrawPanel(IPictureCanvas canvas, Panel panel, double left, double widthPerUnitWeight)
    {
        double[][] values = Net3441.Activations(panel.Parameters, panel.Input);
        canvas.Text(left + PanelWidth / 2, 22, panel.Title, 16, bold: true);
        string x = string.Join(", ", panel.Input.Select(v => v.ToString("0.##", CultureInfo.InvariantCulture)));
        canvas.Text(left + PanelWidth / 2, 42, $"input x = ({x})", 12, color: "#444444");

        for (int layer = 0; layer < 3; layer++)
            for (int from = 0; from < Net3441.Layers[layer]; from++)
                for (int to = 0; to < Net3441.Layers[layer + 1]; to++)
                {
                    double w = Net3441.EdgeWeight(panel.Parameters, layer, from, to);
                    var (x1, y1) = NodeCentre(left, layer, from);
                    var (x2, y2) = NodeCentre(left, layer + 1, to);
                    canvas.Line(x1, y1, x2, y2, w > 0 ? PositiveWeight : NegativeWeight,
                        Math.Max(0.4, Math.Abs(w) * widthPerUnitWeight), opacity: 0.75);
                }

        for (int layer = 0; layer < 4; layer++)
        {
            var (lx, _) = NodeCentre(left, layer, 0);
            canvas.Text(lx, PanelHeight - 16, LayerNames[layer], 12, color: "#444444");
            for (int i = 0; i < Net3441.Layers[layer]; i++)
            {
                double v = values[layer][i];
                var (cx, cy) = NodeCentre(left, layer, i);
                canvas.Circle(cx, cy, NodeRadius, NodeColor(v), "#333333",
                [
                    new("layer", layer.ToString(CultureInfo.InvariantCulture)),
                    new("index", i.ToString(CultureInfo.InvariantCulture)),
                    new("value", v.ToString("R", CultureInfo.InvariantCulture)),
                ]);
                canvas.Text(cx, cy, v.ToString("0.00", CultureInfo.InvariantCulture), 11, bold: true);
            }
        }
    }

    /// <summary>Layers evenly across the panel; each layer's nodes centred vertically, 70 px apart.</summary>
    private static (double X, double Y) NodeCentre(double left, int layer, int index)
    {
        double x = left + 60 + layer * (PanelWidth - 120) / 3;
        double y = 70 + (PanelHeight - 110) / 2 + (index - (Net3441.Layers[layer] - 1) / 2.0) * 70;
        return (x, y);
    }

    private static IEnumerable<double> AllEdgeWeights(double[] p)
    {
        for (int layer = 0; layer < 3; layer++)
            for (int from = 0; from < Net3441.Layers[layer]; from++)
                for (int to = 0; to < Net3441.Layers[layer + 1]; to++)
                    yield return Net3441.EdgeWeight(p, layer, from, to);
    }
}
