using ScottPlot;

namespace SymGrad.Examples;

/// <summary>(Linked into each example and into the tests, as <see cref="SplitMix64"/> is.) Where the examples' pictures go.</summary>
internal static class PlotFiles
{
    /// <summary>Saves <paramref name="plot"/> as <c>name.png</c> and <c>name.svg</c> and returns both paths.</summary>
    public static IEnumerable<string> SavePngAndSvg(Plot plot, string directory, string name, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plot);
        string png = Path.Combine(directory, name + ".png"), svg = Path.Combine(directory, name + ".svg");
        plot.SavePng(png, width, height);
        plot.SaveSvg(svg, width, height);
        return [png, svg];
    }
}
