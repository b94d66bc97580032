using SymGrad;

namespace SymGrad.Benchmarks.Cases;

/// <summary>
/// Case (c) as ADBench defines it: the three residuals of one bundle-adjustment observation as a vector output,
/// <c>r = (w (proj - feat), 1 - w²)</c>, whose 3 x 15 Jacobian (11 camera, 3 point, 1 weight) is what a
/// Gauss-Newton or Levenberg-Marquardt solver asks for. Same model as <see cref="BundleAdjustment.Objective"/>.
/// </summary>
public static partial class BundleAdjustmentResiduals
{
    [Differentiable(Modes = DerivativeModes.Jacobian)]
    public static void Residuals(ReadOnlySpan<double> cam, ReadOnlySpan<double> x, double w,
                                 [NoDerivative] ReadOnlySpan<double> feat, [Output] Span<double> r)
    {
        double xo0 = x[0] - cam[3];
        double xo1 = x[1] - cam[4];
        double xo2 = x[2] - cam[5];

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

        double p0 = xc0 / xc2;
        double p1 = xc1 / xc2;
        double rsq = p0 * p0 + p1 * p1;
        double l = 1.0 + cam[9] * rsq + cam[10] * rsq * rsq;
        double proj0 = p0 * l * cam[6] + cam[7];
        double proj1 = p1 * l * cam[6] + cam[8];

        r[0] = w * (proj0 - feat[0]);
        r[1] = w * (proj1 - feat[1]);
        r[2] = 1 - w * w;
    }
}
