namespace SymGrad.Benchmarks.Problems;

/// <summary>One bundle-adjustment observation (case c) and its gradient buffers.</summary>
public sealed class BundleAdjustmentProblem
{
    /// <summary><c>[r0 r1 r2 | C0 C1 C2 | f | u0 v0 | k1 k2]</c></summary>
    public required double[] Cam { get; init; }
    public required double[] X { get; init; }
    public double W;
    public required double[] Feat { get; init; }

    public double[] DCam { get; } = new double[11];
    public double[] DX { get; } = new double[3];
    public double DW;

    public double[] GradientVector() => [.. DCam, .. DX, DW];

    /// <summary>
    /// A camera about 7 units from the point, rotated by about 0.15 rad, with BAL-like intrinsics (focal length in
    /// pixels, small radial distortion); the feature is a few pixels off the projection, the weight below 1.
    /// <paramref name="zeroRotation"/> exercises ADBench's first-order branch at <c>theta = 0</c>.
    /// </summary>
    public static BundleAdjustmentProblem Typical(bool zeroRotation = false) => new()
    {
        Cam = zeroRotation
            ? [0, 0, 0, 0.3, -0.2, -5.0, 420.0, 12.5, -8.25, -0.031, 0.0042]
            : [0.12, -0.08, 0.05, 0.3, -0.2, -5.0, 420.0, 12.5, -8.25, -0.031, 0.0042],
        X = [0.5, 0.4, 2.0],
        W = 0.83,
        Feat = [36.1, 50.7],
    };
}
