using SymGrad;

namespace SymGrad.Benchmarks.Cases;

/// <summary>
/// Case (c): ADBench's bundle-adjustment objective for one observation (microsoft/ADBench, src/cpp/shared/ba.h:
/// <c>computeReprojError</c> and <c>computeZachWeightError</c>), as one scalar.
/// <para>
/// Camera, 11 numbers: <c>[r0 r1 r2 | C0 C1 C2 | f | u0 v0 | k1 k2]</c>, a Rodrigues (axis-angle) rotation, the
/// camera centre, the focal length, the principal point and two radial distortion coefficients. Point: 3 numbers.
/// Weight: 1. ADBench's residuals are <c>e = w * (proj - feat)</c> (two numbers) and <c>1 - w^2</c>, where
/// <c>Xcam = R(r) (X - C)</c>, <c>p = Xcam[0..1] / Xcam[2]</c>, <c>proj = p (1 + k1 |p|^2 + k2 |p|^4) f + (u0, v0)</c>.
/// </para>
/// <para>
/// SymGrad differentiates scalar outputs, so the benchmarked function is the least-squares objective of that one
/// observation, <c>0.5 (e0^2 + e1^2 + (1 - w^2)^2)</c>; its gradient is <c>J^T r</c>, the vector a Gauss-Newton or
/// gradient step needs. ADBench times the full 2x15 + 1 Jacobian instead (three reverse sweeps), so its ratios are
/// for scale only, not directly comparable.
/// </para>
/// </summary>
public static partial class BundleAdjustment
{
    [Differentiable(Modes = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.HessianVector)]
    public static double Objective(ReadOnlySpan<double> cam, ReadOnlySpan<double> x, double w,
                                   [NoDerivative] ReadOnlySpan<double> feat)
    {
        // Xo = X - C
        double xo0 = x[0] - cam[3];
        double xo1 = x[1] - cam[4];
        double xo2 = x[2] - cam[5];

        // Rodrigues rotation, exactly as ADBench: the closed form, or its first-order form at zero angle.
        double sqtheta = cam[0] * cam[0] + cam[1] * cam[1] + cam[2] * cam[2];
        double xc0 = 0, xc1 = 0, xc2 = 0;
        if (sqtheta != 0)
        {
            double theta = Math.Sqrt(sqtheta);
            double costheta = Math.Cos(theta);
            double sintheta = Math.Sin(theta);
            double thetaInverse = 1.0 / theta;
            double w0 = cam[0] * thetaInverse;
            double w1 = cam[1] * thetaInverse;
            double w2 = cam[2] * thetaInverse;
            double cross0 = w1 * xo2 - w2 * xo1;
            double cross1 = w2 * xo0 - w0 * xo2;
            double cross2 = w0 * xo1 - w1 * xo0;
            double tmp = (w0 * xo0 + w1 * xo1 + w2 * xo2) * (1.0 - costheta);
            xc0 = xo0 * costheta + cross0 * sintheta + w0 * tmp;
            xc1 = xo1 * costheta + cross1 * sintheta + w1 * tmp;
            xc2 = xo2 * costheta + cross2 * sintheta + w2 * tmp;
        }
        else
        {
            xc0 = xo0 + (cam[1] * xo2 - cam[2] * xo1);
            xc1 = xo1 + (cam[2] * xo0 - cam[0] * xo2);
            xc2 = xo2 + (cam[0] * xo1 - cam[1] * xo0);
        }

        // Projective to Euclidean, radial distortion, focal length and principal point.
        double p0 = xc0 / xc2;
        double p1 = xc1 / xc2;
        double rsq = p0 * p0 + p1 * p1;
        double l = 1.0 + cam[9] * rsq + cam[10] * rsq * rsq;
        double proj0 = p0 * l * cam[6] + cam[7];
        double proj1 = p1 * l * cam[6] + cam[8];

        double e0 = w * (proj0 - feat[0]);
        double e1 = w * (proj1 - feat[1]);
        double ew = 1 - w * w;
        return 0.5 * (e0 * e0 + e1 * e1 + ew * ew);
    }
}
