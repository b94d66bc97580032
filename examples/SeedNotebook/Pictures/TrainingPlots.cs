using System.Globalization;
using ScottPlot;

namespace SeedNotebook.Pictures;

/// <summary>The training run's two ScottPlot figures: loss on a log scale, and predictions against targets.</summary>
public static class TrainingPlots
{
    public static void SaveLossCurve(IReadOnlyList<TrainingFrame> frames, string path, string title)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Any(f => !(f.Loss > 0)))
            throw new ArgumentException("a log-scale plot needs every loss > 0", nameof(frames));
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans"); // matches the diagram; ScottPlot falls back to its default where absent
        // ScottPlot 5 has no log axis: plot log10(loss) and label the ticks as powers of ten (its cookbook's way).
        var line = plot.Add.ScatterLine(frames.Select(f => (double)f.Step).ToArray(),
            frames.Select(f => Math.Log10(f.Loss)).ToArray());
        line.LineWidth = 2;
        var ticks = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = PowerOfTen,
        };
        plot.Axes.Left.TickGenerator = ticks;
        plot.Title(title);
        plot.XLabel("SGD step");
        plot.YLabel("loss = Σ (y_pred − y)²  (log scale)");
        plot.SavePng(path, 640, 400);
    }

    public static void SavePredictions(double[] before, double[] after, double[] targets, string path, string title)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(targets);
        if (before.Length != targets.Length || after.Length != targets.Length)
            throw new ArgumentException("before, after and targets must have one value per sample", nameof(targets));
        double[] xs = Enumerable.Range(1, targets.Length).Select(i => (double)i).ToArray();
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans"); // matches the diagram; ScottPlot falls back to its default where absent
        Add(plot, xs, targets, "target", Colors.Black, MarkerShape.OpenSquare, 16);
        Add(plot, xs, before, "before training (notebook weights)", Color.FromHex("#f08080"), MarkerShape.FilledCircle, 11);
        Add(plot, xs, after, "after training", Color.FromHex("#2ca02c"), MarkerShape.FilledCircle, 11);
        plot.Axes.Bottom.SetTicks(xs, xs.Select(x => $"sample {x:0}").ToArray());
        plot.Axes.SetLimitsX(0.5, targets.Length + 0.5);
        plot.Add.HorizontalLine(0, 1, Colors.Gray, LinePattern.Dotted);
        plot.ShowLegend(Alignment.LowerRight);
        plot.Title(title);
        plot.YLabel("network output");
        plot.SavePng(path, 640, 400);
    }

    private static void Add(Plot plot, double[] xs, double[] ys, string label, Color color, MarkerShape shape, float size)
    {
        var points = plot.Add.ScatterPoints(xs, ys, color);
        points.MarkerShape = shape;
        points.MarkerSize = size;
        points.LegendText = label;
    }

    private static string PowerOfTen(double exponent) =>
        exponent >= 0 && exponent <= 3
            ? Math.Pow(10, exponent).ToString("0", CultureInfo.InvariantCulture)
            : "1e" + exponent.ToString("0", CultureInfo.InvariantCulture);
}
