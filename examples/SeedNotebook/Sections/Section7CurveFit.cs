using ScottPlot;
using SeedNotebook.SecondOrder;
using SymGrad.Examples;

namespace SeedNotebook.Sections;

/// <summary>
/// Section 7 (beyond the notebook): least squares with the generated Jacobian of a vector output. Levenberg-Marquardt
/// fits a damped oscillation to noisy samples (<see cref="CurveFit"/>), and the fit is plotted under out/.
/// </summary>
public static class Section7CurveFit
{
    public static void Run(string outputDir)
    {
        Print.Section("7. Least squares: Levenberg-Marquardt with the generated Jacobian of a residual vector");
        (double[] theta, List<LeastSquaresStep> steps) = LevenbergMarquardt.Fit();
        Console.WriteLine($"  y = a e^(-b t) sin(ω t) + c through {CurveFit.Points} noisy points; the Jacobian is {CurveFit.Points} x {CurveFit.Parameters} " +
                          $"(one forward sweep per parameter). From (a, b, ω, c) = ({string.Join(", ", LevenbergMarquardt.Start.Select(Print.R))}):");
        foreach (LeastSquaresStep s in steps)
        {
            Console.WriteLine($"    step {s.Step,2}: ½|r|² {Print.R(s.Cost),-22} λ {Print.E(s.Damping)}  |Jᵀr| {Print.E(s.GradientNorm)}");
        }
        Console.WriteLine($"  fitted (a, b, ω, c) = ({string.Join(", ", theta.Select(x => x.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}); " +
                          $"drawn from ({string.Join(", ", CurveFit.Truth.Select(Print.R))}); rms residual {Print.E(Math.Sqrt(2 * steps[^1].Cost / CurveFit.Points))}");
        Directory.CreateDirectory(outputDir);
        foreach (string path in PlotFiles.SavePngAndSvg(Plot(theta), outputDir, "curve-fit", 640, 400)) Console.WriteLine($"  wrote {path}");
    }

    /// <summary>The samples, the starting curve and the fitted one.</summary>
    public static Plot Plot(double[] theta)
    {
        (double[] ts, double[] ys) = CurveFit.Data();
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        double[] fine = Enumerable.Range(0, 401).Select(i => ts[^1] * i / 400).ToArray();
        var start = plot.Add.ScatterLine(fine, fine.Select(t => CurveFit.Model(LevenbergMarquardt.Start, t)).ToArray());
        start.LegendText = "start";
        start.LinePattern = LinePattern.Dashed;
        start.Color = Colors.Gray;
        var fit = plot.Add.ScatterLine(fine, fine.Select(t => CurveFit.Model(theta, t)).ToArray());
        fit.LegendText = "Levenberg-Marquardt fit";
        fit.LineWidth = 2;
        fit.Color = Colors.C0;
        var data = plot.Add.ScatterPoints(ts, ys);
        data.LegendText = "samples";
        data.Color = Colors.Black;
        plot.Title("y = a e^(-bt) sin(ωt) + c, fitted with the generated Jacobian");
        plot.XLabel("t");
        plot.YLabel("y");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
