namespace SymGrad.Benchmarks.Baselines;

/// <summary>
/// The hand-derived reverse-mode gradient of <see cref="Cases.BundleAdjustment.Objective"/>: the forward pass of
/// ADBench's <c>computeReprojError</c>, then the chain rule back through it, one adjoint (<c>g</c> + name) per
/// forward quantity. Same contract as a generated <c>ObjectiveGradient</c>: returns the value, overwrites
/// <paramref name="dCam"/> (11), <paramref name="dX"/> (3) and <paramref name="dW"/>.
/// </summary>
internal static class BundleAdjustmentHandWritten
{
    public static double ObjectiveGradient(ReadOnlySpan<double> cam, ReadOnlySpan<double> x, double w,
                                           ReadOnlySpan<double> feat, Span<double> dCam, Span<double> dX, ref double dW)
    {
        if (dCam.Length < 11) throw new ArgumentException("needs 11 entries", nameof(dCam));
        if (dX.Length < 3) throw new ArgumentException("needs 3 entries", nameof(dX));
        double r0 = cam[0], r1 = cam[1], r2 = cam[2];
        double f = cam[6], k1 = cam[9], k2 = cam[10];

        // ---- forward ----
        double xo0 = x[0] - cam[3], xo1 = x[1] - cam[4], xo2 = x[2] - cam[5];
        double sqtheta = r0 * r0 + r1 * r1 + r2 * r2;
        double xc0, xc1, xc2;
        double theta = 0, c = 0, s = 0, ti = 0, w0 = 0, w1 = 0, w2 = 0, cr0 = 0, cr1 = 0, cr2 = 0, d = 0, omc = 0, tmp = 0;
        bool rotated = sqtheta != 0;
        if (rotated)
        {
            theta = Math.Sqrt(sqtheta);
            c = Math.Cos(theta);
            s = Math.Sin(theta);
            ti = 1.0 / theta;
            w0 = r0 * ti; w1 = r1 * ti; w2 = r2 * ti;
            cr0 = w1 * xo2 - w2 * xo1;
            cr1 = w2 * xo0 - w0 * xo2;
            cr2 = w0 * xo1 - w1 * xo0;
            d = w0 * xo0 + w1 * xo1 + w2 * xo2;
            omc = 1.0 - c;
            tmp = d * omc;
            xc0 = xo0 * c + cr0 * s + w0 * tmp;
            xc1 = xo1 * c + cr1 * s + w1 * tmp;
            xc2 = xo2 * c + cr2 * s + w2 * tmp;
        }
        else
        {
            xc0 = xo0 + (r1 * xo2 - r2 * xo1);
            xc1 = xo1 + (r2 * xo0 - r0 * xo2);
            xc2 = xo2 + (r0 * xo1 - r1 * xo0);
        }
        double p0 = xc0 / xc2, p1 = xc1 / xc2;
        double rsq = p0 * p0 + p1 * p1;
        double l = 1.0 + k1 * rsq + k2 * rsq * rsq;
        double q0 = p0 * l, q1 = p1 * l;
        double dev0 = q0 * f + cam[7] - feat[0];
        double dev1 = q1 * f + cam[8] - feat[1];
        double e0 = w * dev0, e1 = w * dev1, ew = 1 - w * w;
        double value = 0.5 * (e0 * e0 + e1 * e1 + ew * ew);

        // ---- backward: adjoint of value is 1; of e0, e1, ew are e0, e1, ew ----
        dW = e0 * dev0 + e1 * dev1 - 2 * w * ew;
        double gProj0 = e0 * w, gProj1 = e1 * w;
        dCam[7] = gProj0;
        dCam[8] = gProj1;
        dCam[6] = gProj0 * q0 + gProj1 * q1;
        double gq0 = gProj0 * f, gq1 = gProj1 * f;
        double gL = gq0 * p0 + gq1 * p1;
        dCam[9] = gL * rsq;
        dCam[10] = gL * rsq * rsq;
        double gRsq2 = 2 * gL * (k1 + 2 * k2 * rsq); // 2 * d(value)/d(rsq), for d(rsq)/d(p) = 2p
        double gp0 = gq0 * l + gRsq2 * p0;
        double gp1 = gq1 * l + gRsq2 * p1;
        double inv2 = 1.0 / xc2;
        double gxc0 = gp0 * inv2, gxc1 = gp1 * inv2, gxc2 = -(gp0 * p0 + gp1 * p1) * inv2;

        double gxo0, gxo1, gxo2, gr0, gr1, gr2;
        if (rotated)
        {
            // xc = xo c + cr s + w tmp
            double gc = gxc0 * xo0 + gxc1 * xo1 + gxc2 * xo2;
            double gs = gxc0 * cr0 + gxc1 * cr1 + gxc2 * cr2;
            double gtmp = gxc0 * w0 + gxc1 * w1 + gxc2 * w2;
            double gcr0 = gxc0 * s, gcr1 = gxc1 * s, gcr2 = gxc2 * s;
            // tmp = d (1 - c)
            double gd = gtmp * omc;
            gc -= gtmp * d;
            // d = w . xo; cr = w x xo, so g(w) += xo x g(cr) and g(xo) += g(cr) x w
            double gw0 = gxc0 * tmp + gd * xo0 + (xo1 * gcr2 - xo2 * gcr1);
            double gw1 = gxc1 * tmp + gd * xo1 + (xo2 * gcr0 - xo0 * gcr2);
            double gw2 = gxc2 * tmp + gd * xo2 + (xo0 * gcr1 - xo1 * gcr0);
            gxo0 = gxc0 * c + gd * w0 + (gcr1 * w2 - gcr2 * w1);
            gxo1 = gxc1 * c + gd * w1 + (gcr2 * w0 - gcr0 * w2);
            gxo2 = gxc2 * c + gd * w2 + (gcr0 * w1 - gcr1 * w0);
            // w = r / theta; theta = sqrt(r . r); c = cos theta; s = sin theta
            double gti = gw0 * r0 + gw1 * r1 + gw2 * r2;
            double gTheta = -gti * ti * ti - gc * s + gs * c;
            double gSq2 = gTheta * ti; // 2 * d/d(sqtheta) = gTheta / theta, for d(sqtheta)/dr = 2r
            gr0 = gw0 * ti + gSq2 * r0;
            gr1 = gw1 * ti + gSq2 * r1;
            gr2 = gw2 * ti + gSq2 * r2;
        }
        else
        {
            // xc = xo + r x xo: g(r) = xo x g(xc), g(xo) = g(xc) + g(xc) x r
            gr0 = xo1 * gxc2 - xo2 * gxc1;
            gr1 = xo2 * gxc0 - xo0 * gxc2;
            gr2 = xo0 * gxc1 - xo1 * gxc0;
            gxo0 = gxc0 + (gxc1 * r2 - gxc2 * r1);
            gxo1 = gxc1 + (gxc2 * r0 - gxc0 * r2);
            gxo2 = gxc2 + (gxc0 * r1 - gxc1 * r0);
        }
        dCam[0] = gr0; dCam[1] = gr1; dCam[2] = gr2;
        dCam[3] = -gxo0; dCam[4] = -gxo1; dCam[5] = -gxo2;
        dX[0] = gxo0; dX[1] = gxo1; dX[2] = gxo2;
        return value;
    }
}
