using ScottPlot;

namespace FashionMnist;

/// <summary>The example's pictures with ScottPlot: the training curves, a grid of test images, the confusion matrix.</summary>
public static class Plots
{
    private static readonly Color LossColor = Color.FromHex("#1f77b4"), TrainColor = Color.FromHex("#ff7f0e"),
                                  TestColor = Color.FromHex("#2ca02c"), Wrong = Color.FromHex("#d62728");

    /// <summary>
    /// The mini-batch loss (a moving mean over <paramref name="window"/> batches, left axis) against the epoch, and the
    /// train and test accuracies at the end of each epoch (right axis; epoch 0, the initial weights, left out).
    /// </summary>
    public static Plot Curves(IReadOnlyList<double> batchLosses, int batchesPerEpoch, IReadOnlyList<EpochRecord> epochs,
                              int window, string title)
    {
        ArgumentNullException.ThrowIfNull(batchLosses);
        ArgumentNullException.ThrowIfNull(epochs);
        var xs = new List<double>();
        var ys = new List<double>();
        double sum = 0;
        for (int b = 0; b < batchLosses.Count; b++)
        {
            sum += batchLosses[b];
            if (b >= window) sum -= batchLosses[b - window];
            if (b + 1 < window) continue;
            xs.Add((b + 1.0) / batchesPerEpoch);
            ys.Add(sum / window);
        }
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        var loss = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), LossColor);
        loss.LineWidth = 1.5f;
        loss.LegendText = $"mini-batch loss, mean of {window} batches (left)";
        epochs = epochs.Where(r => r.Epoch > 0).ToList(); // epoch 0 (the initial ~10%) would squash the axis
        double[] e = epochs.Select(r => (double)r.Epoch).ToArray();
        foreach ((string name, Func<EpochRecord, double> get, Color color) in
                 new (string, Func<EpochRecord, double>, Color)[] { ("train accuracy", r => r.TrainAccuracy, TrainColor), ("test accuracy", r => r.TestAccuracy, TestColor) })
        {
            var line = plot.Add.Scatter(e, epochs.Select(r => 100 * get(r)).ToArray(), color);
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.LegendText = name + ", % (right)";
            line.Axes.YAxis = plot.Axes.Right;
        }
        plot.Axes.Left.Label.Text = "softmax cross-entropy";
        plot.Axes.Right.Label.Text = "accuracy (%)";
        plot.Axes.SetLimitsY(0, Math.Max(0.1, ys.Count > 0 ? ys.Max() : 1) * 1.05, plot.Axes.Left);
        double low = Math.Floor(epochs.Where(r => r.Epoch > 0).Select(r => 100 * Math.Min(r.TrainAccuracy, r.TestAccuracy)).DefaultIfEmpty(0).Min() / 5) * 5 - 5;
        plot.Axes.SetLimitsY(Math.Max(0, low), 100, plot.Axes.Right);
        plot.Axes.SetLimitsX(0, epochs.Max(r => r.Epoch) + 0.05);
        plot.XLabel("epoch");
        plot.ShowLegend(Alignment.LowerLeft);
        plot.Title(title);
        return plot;
    }

    /// <summary>
    /// The first <paramref name="rows"/> × <paramref name="columns"/> test images, each with its predicted and its true
    /// class beneath; a wrong prediction in red.
    /// </summary>
    public static Plot Grid(FashionSplit test, int[] predictions, int rows, int columns, string title)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(predictions);
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        int h = test.Raw.Rows, w = test.Raw.Columns;
        const double cellHeight = 1.45; // the image's 1 and two lines of text
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                int s = r * columns + c;
                if (s >= test.Count) break;
                var pixels = new double[h, w];
                for (int y = 0; y < h; y++)
                {
                    for (int x = 0; x < w; x++) pixels[y, x] = test.Raw.Pixels[s * h * w + y * w + x];
                }
                var image = plot.Add.Heatmap(pixels);
                double left = c * 1.1, top = -r * cellHeight;
                image.Rectangle = new CoordinateRect(left, left + 1, top - 1, top);
                image.Colormap = new ScottPlot.Colormaps.Grayscale();
                image.ManualRange = new ScottPlot.Range(0, 255);
                bool right = predictions[s] == test.Labels[s];
                var text = plot.Add.Text($"{FashionData.Classes[predictions[s]]}\n({FashionData.Classes[test.Labels[s]]})", left + 0.5, top - 1.03);
                text.LabelFontSize = 11;
                text.LabelAlignment = Alignment.UpperCenter;
                text.LabelFontColor = right ? Colors.Black : Wrong;
                text.LabelBold = !right;
            }
        }
        plot.Axes.SetLimits(-0.05, columns * 1.1 - 0.05, -rows * cellHeight, 0.05);
        plot.Axes.Frameless();
        plot.HideGrid();
        plot.Title(title);
        return plot;
    }

    /// <summary>The confusion matrix, true class by row and predicted class by column, each cell's count written in it.</summary>
    public static Plot Confusion(int[,] counts, string title)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int k = counts.GetLength(0);
        var shares = new double[k, k];
        for (int t = 0; t < k; t++)
        {
            double total = 0;
            for (int p = 0; p < k; p++) total += counts[t, p];
            for (int p = 0; p < k; p++) shares[t, p] = total > 0 ? counts[t, p] / total : 0;
        }
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        var heatmap = plot.Add.Heatmap(shares); // row 0 (true class 0) at the top
        heatmap.Rectangle = new CoordinateRect(-0.5, k - 0.5, -0.5, k - 0.5);
        heatmap.Colormap = new WhiteToBlue();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = "share of the true class's images";
        for (int t = 0; t < k; t++)
        {
            for (int p = 0; p < k; p++)
            {
                var text = plot.Add.Text(counts[t, p].ToString(System.Globalization.CultureInfo.InvariantCulture), p, k - 1 - t);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 12;
                text.LabelFontColor = shares[t, p] > 0.3 ? Colors.White : Colors.Black;
            }
        }
        double[] positions = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, FashionData.Classes.Take(k).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -35;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperRight;
        plot.Axes.Bottom.MinimumSize = 90;
        plot.Axes.Left.SetTicks(positions.Select(i => k - 1 - i).ToArray(), FashionData.Classes.Take(k).ToArray());
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        plot.HideGrid();
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        plot.Title(title);
        return plot;
    }

    /// <summary>White at 0 to dark blue at 1, so an empty cell is white and the diagonal stands out.</summary>
    private sealed class WhiteToBlue : IColormap
    {
        public string Name => "white to blue";

        public Color GetColor(double position)
        {
            if (double.IsNaN(position)) return Colors.Gray;
            double t = Math.Sqrt(Math.Clamp(position, 0, 1)); // a few percent already shows
            return new Color((byte)Math.Round(255 + (8 - 255) * t), (byte)Math.Round(255 + (48 - 255) * t), (byte)Math.Round(255 + (107 - 255) * t));
        }
    }
}
