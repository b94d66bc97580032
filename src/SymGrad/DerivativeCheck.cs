namespace SymGrad;

/// <summary>
/// Compares a derivative rule (<see cref="DerivativeOfAttribute"/>) with central finite differences of its function,
/// for a unit test: a wrong rule is the user's bug, and this is how to find it before a gradient does.
/// </summary>
public static class DerivativeCheck
{
    /// <summary>
    /// The largest relative error of <paramref name="rule"/> against central differences of <paramref name="f"/>
    /// over <paramref name="points"/>: |rule - fd| / max(1, |fd|), with step 1e-6 max(1, |x|). A correct rule of a
    /// smooth function gives about 1e-8; assert it below 1e-5 or so.
    /// </summary>
    public static double MaxError(Func<double, double> f, Func<double, double> rule, params double[] points)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(points);
        if (points.Length == 0) throw new ArgumentException("give at least one point to check the rule at.", nameof(points));
        double worst = 0;
        foreach (double x in points) worst = Math.Max(worst, Error(rule(x), Central(f, x)));
        return worst;
    }

    /// <summary>The same for a function of two arguments and its rule's tuple of partials, at points (a, b).</summary>
    public static double MaxError(Func<double, double, double> f, Func<double, double, (double, double)> rule, params (double A, double B)[] points)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(points);
        if (points.Length == 0) throw new ArgumentException("give at least one point to check the rule at.", nameof(points));
        double worst = 0;
        foreach ((double a, double b) in points)
        {
            (double da, double db) = rule(a, b);
            worst = Math.Max(worst, Error(da, Central(x => f(x, b), a)));
            worst = Math.Max(worst, Error(db, Central(y => f(a, y), b)));
        }
        return worst;
    }

    private static double Central(Func<double, double> f, double x)
    {
        double h = 1e-6 * Math.Max(1.0, Math.Abs(x));
        return (f(x + h) - f(x - h)) / (2 * h);
    }

    private static double Error(double rule, double fd) =>
        double.IsNaN(rule) || double.IsNaN(fd) ? (rule.Equals(fd) ? 0 : double.PositiveInfinity) : Math.Abs(rule - fd) / Math.Max(1.0, Math.Abs(fd));
}
