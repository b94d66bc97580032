using ScottPlot;

namespace Moons;

/// <summary>The demo's pictures with ScottPlot: the decision boundary over a grid, and the training curves.</summary>
public static class MoonsPlots
{
    /// <summary>Colours of the two moons: outer (y = -1) and inner (y = +1).</summary>
    public static readonly Color Negative = Color.FromHex("#d7301f"), Positive = Color.FromHex("#2166ac");

    /// <summary>The score's range the heatmap's colours span; beyond it they saturate.</summary>
    public const double ScoreClip = 2.0;

    /// <summary>
    /// The network's score over a grid from each coordinate's min - 1 to max + 1 (the demo's bounds), every
    /// <paramref name="step"/>; row 0 is the top (largest y), as the heatmap draws it.
    /// </summary>
    public static (double[,] Scores, CoordinateRect Extent) ScoreGrid(MoonsModel model, double[,] xs, double step)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity, yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        for (int s = 0; s < xs.GetLength(0); s++)
        {
            xMin = Math.Min(xMin, xs[s, 0]);
            xMax = Math.Max(xMax, xs[s, 0]);
            yMin = Math.Min(yMin, xs[s, 1]);
            yMax = Math.Max(yMax, xs[s, 1]);
        }
        xMin -= 1;
        xMax += 1;
        yMin -= 1;
        yMax += 1;
        int columns = (int)Math.Ceiling((xMax - xMin) / step), rows = (int)Math.Ceiling((yMax - yMin) / step);
        var scores = new double[rows, columns];
        for (int r = 0; r < rows; r++)
        {
            double y = yMin + (rows - r - 0.5) * step; // cell centres, top row first
            for (int c = 0; c < columns; c++) scores[r, c] = model.Score(xMin + (c + 0.5) * step, y);
        }
        return (scores, new CoordinateRect(xMin, xMin + columns * step, yMin, yMin + rows * step));
    }

    /// <summary>The decision boundary: the score as a heatmap (two hues by sign), the samples on top by label.</summary>
    public static Plot DecisionBoundary(MoonsModel model, MoonsData data, double step, string title)
    {
        ArgumentNullException.ThrowIfNull(data);
        (double[,] scores, CoordinateRect extent) = ScoreGrid(model, data.Xs, step);
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        var heatmap = plot.Add.Heatmap(scores);
        heatmap.Rectangle = extent;
        heatmap.Colormap = new SignColormap(Negative, Positive);
        heatmap.ManualRange = new ScottPlot.Range(-ScoreClip, ScoreClip);
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = $"score (clipped to ±{ScoreClip:0}; the boundary is score = 0)";
        AddSamples(plot, data, -1, Negative, "y = −1 (outer moon)");
        AddSamples(plot, data, +1, Positive, "y = +1 (inner moon)");
        plot.Axes.SetLimits(extent); // the figure's shape keeps the units nearly square (within ~10%)
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title(title);
        plot.XLabel("x₀");
        plot.YLabel("x₁");
        return plot;
    }

    /// <summary>Loss (left axis) and accuracy (right axis) per SGD step.</summary>
    public static Plot Curves(IReadOnlyList<StepRecord> records, string title)
    {
        ArgumentNullException.ThrowIfNull(records);
        double[] steps = records.Select(r => (double)r.Step).ToArray();
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        var loss = plot.Add.ScatterLine(steps, records.Select(r => r.Loss).ToArray(), Color.FromHex("#1f77b4"));
        loss.LineWidth = 2;
        loss.LegendText = "loss (left)";
        var accuracy = plot.Add.ScatterLine(steps, records.Select(r => 100 * r.Accuracy).ToArray(), Color.FromHex("#2ca02c"));
        accuracy.LineWidth = 2;
        accuracy.LegendText = "accuracy, % (right)";
        accuracy.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Left.Label.Text = "loss: mean max-margin + 1e-4 Σ p²";
        plot.Axes.Right.Label.Text = "accuracy (%)";
        plot.Axes.SetLimitsY(0, Math.Max(0.1, records.Max(r => r.Loss)) * 1.05, plot.Axes.Left);
        plot.Axes.SetLimitsY(0, 101, plot.Axes.Right);
        plot.XLabel("SGD step");
        plot.ShowLegend(Alignment.MiddleRight);
        plot.Title(title);
        return plot;
    }

    private static void AddSamples(Plot plot, MoonsData data, double label, Color color, string legend)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (int s = 0; s < data.Count; s++)
        {
            if (data.Ys[s] != label) continue;
            xs.Add(data.Xs[s, 0]);
            ys.Add(data.Xs[s, 1]);
        }
        var points = plot.Add.ScatterPoints(xs.ToArray(), ys.ToArray(), color);
        points.MarkerShape = MarkerShape.FilledCircle;
        points.MarkerSize = 9;
        points.MarkerLineColor = Colors.Black;
        points.MarkerLineWidth = 1;
        points.LegendText = legend;
    }

    /// <summary>
    /// A diverging colormap with a hard edge in the middle, so the boundary (score = 0) is a sharp line: light to
    /// strong <c>negative</c> below the middle, light to strong <c>positive</c> above it.
    /// </summary>
    private sealed class SignColormap(Color negative, Color positive) : IColormap
    {
        public string Name => "sign";

        public Color GetColor(double position)
        {
            if (double.IsNaN(position)) return Colors.Gray;
            position = Math.Clamp(position, 0, 1);
            double strength = Math.Abs(position - 0.5) * 2; // 0 at the boundary, 1 at ±clip
            Color hue = position < 0.5 ? negative : positive;
            double mix = 0.25 + 0.55 * strength; // never white, never the markers' full colour
            return Blend(Colors.White, hue, mix);
        }

        private static Color Blend(Color a, Color b, double t) => new(
            (byte)Math.Round(a.R + (b.R - a.R) * t),
            (byte)Math.Round(a.G + (b.G - a.G) * t),
            (byte)Math.Round(a.B + (b.B - a.B) * t));
    }
}
