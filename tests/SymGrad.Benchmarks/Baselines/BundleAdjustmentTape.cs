#if HAS_VALUE
using SymGrad.Benchmarks.Problems;

namespace SymGrad.Benchmarks.Baselines;

/// <summary>
/// The <c>Value</c>-tape baseline for case (c): <see cref="Cases.BundleAdjustment.Objective"/> line for line on
/// <c>Value</c> (as the generated <c>ObjectiveTape</c> will be), with fresh leaves per gradient call.
/// </summary>
internal static class BundleAdjustmentTape
{
    public static Value Objective(ReadOnlySpan<Value> cam, ReadOnlySpan<Value> x, Value w, ReadOnlySpan<double> feat)
    {
        Value xo0 = x[0] - cam[3], xo1 = x[1] - cam[4], xo2 = x[2] - cam[5];
        Value sqtheta = cam[0] * cam[0] + cam[1] * cam[1] + cam[2] * cam[2];
        Value xc0, xc1, xc2;
        if (sqtheta.Data != 0)
        {
            Value theta = ValueMath.Sqrt(sqtheta);
            Value costheta = ValueMath.Cos(theta);
            Value sintheta = ValueMath.Sin(theta);
            Value thetaInverse = 1.0 / theta;
            Value w0 = cam[0] * thetaInverse, w1 = cam[1] * thetaInverse, w2 = cam[2] * thetaInverse;
            Value cross0 = w1 * xo2 - w2 * xo1;
            Value cross1 = w2 * xo0 - w0 * xo2;
            Value cross2 = w0 * xo1 - w1 * xo0;
            Value tmp = (w0 * xo0 + w1 * xo1 + w2 * xo2) * (1.0 - costheta);
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
        Value p0 = xc0 / xc2, p1 = xc1 / xc2;
        Value rsq = p0 * p0 + p1 * p1;
        Value l = 1.0 + cam[9] * rsq + cam[10] * rsq * rsq;
        Value proj0 = p0 * l * cam[6] + cam[7];
        Value proj1 = p1 * l * cam[6] + cam[8];
        Value e0 = w * (proj0 - feat[0]);
        Value e1 = w * (proj1 - feat[1]);
        Value ew = 1 - w * w;
        return 0.5 * (e0 * e0 + e1 * e1 + ew * ew);
    }

    /// <summary>The signature of a tape objective: this class's <see cref="Objective"/> or a generated <c>ObjectiveTape</c>.</summary>
    public delegate Value TapeObjective(ReadOnlySpan<Value> cam, ReadOnlySpan<Value> x, Value w, ReadOnlySpan<double> feat);

    public static double ObjectiveGradient(BundleAdjustmentProblem b) => ObjectiveGradient(b, Objective);

    public static double ObjectiveGradient(BundleAdjustmentProblem b, TapeObjective tapeObjective)
    {
        Value[] cam = MlpTape.Leaves(b.Cam), x = MlpTape.Leaves(b.X);
        var w = new Value(b.W);
        Value value = tapeObjective(cam, x, w, b.Feat);
        value.Backward();
        MlpTape.Grads(cam, b.DCam);
        MlpTape.Grads(x, b.DX);
        b.DW = w.Grad;
        return value.Data;
    }
}
#endif
