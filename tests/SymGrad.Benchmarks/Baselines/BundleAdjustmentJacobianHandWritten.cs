namespace SymGrad.Benchmarks.Baselines;

/// <summary>
/// The hand-derived 3 x 15 Jacobian of <see cref="Cases.BundleAdjustmentResiduals.Residuals"/>, as a careful engineer
/// writes it: the forward pass once, then the chain rule back through the projection once per reprojection
/// residual (seeded with the weight), and the weight row in closed form. Columns: cam[0..10], x[0..2], w.
/// </summary>
internal static class BundleAdjustmentJacobianHandWritten
{
    public static void Jacobian(ReadOnlySpan<double> cam, ReadOnlySpan<double> x, double w, ReadOnlySpan<double> feat,
                                Span<double> r, double[,] jacobian)
    {
        if (jacobian.GetLength(0) != 3 || jacobian.GetLength(1) != 15) throw new ArgumentException("must be 3 x 15", nameof(jacobian));
        double r0 = cam[0], r1 = cam[1], r2 = cam[2];
        double f = cam[6], k1 = cam[9], k2 = cam[10];

        // ---- forward ----
        double xo0 = x[0] - cam[3], xo1 = x[1] - cam[4], xo2 = x[2] - cam[5];
        double sqtheta = r0 * r0 + r1 * r1 + r2 * r2;
        double xc0, xc1, xc2;
        double c = 0, s = 0, ti = 0, w0 = 0, w1 = 0, w2 = 0, cr0 = 0, cr1 = 0, cr2 = 0, d = 0, omc = 0, tmp = 0;
        bool rotated = sqtheta != 0;
        if (rotated)
        {
            double theta = Math.Sqrt(sqtheta);
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
        r[0] = w * dev0;
        r[1] = w * dev1;
        r[2] = 1 - w * w;
        double inv2 = 1.0 / xc2;

        // ---- one backward pass per reprojection residual ----
        Row(0, w, 0, dev0);
        Row(1, 0, w, dev1);
        // The weight residual depends on w alone.
        for (int k = 0; k < 14; k++) jacobian[2, k] = 0;
        jacobian[2, 14] = -2 * w;

        void Row(int row, double gProj0, double gProj1, double dW)
        {
            jacobian[row, 7] = gProj0;
            jacobian[row, 8] = gProj1;
            jacobian[row, 6] = gProj0 * q0 + gProj1 * q1;
            double gq0 = gProj0 * f, gq1 = gProj1 * f;
            double gL = gq0 * p0 + gq1 * p1;
            jacobian[row, 9] = gL * rsq;
            jacobian[row, 10] = gL * rsq * rsq;
            double gRsq2 = 2 * gL * (k1 + 2 * k2 * rsq);
            double gp0 = gq0 * l + gRsq2 * p0;
            double gp1 = gq1 * l + gRsq2 * p1;
            double gxc0 = gp0 * inv2, gxc1 = gp1 * inv2, gxc2 = -(gp0 * p0 + gp1 * p1) * inv2;

            double gxo0, gxo1, gxo2, gr0, gr1, gr2;
            if (rotated)
            {
                double gc = gxc0 * xo0 + gxc1 * xo1 + gxc2 * xo2;
                double gs = gxc0 * cr0 + gxc1 * cr1 + gxc2 * cr2;
                double gtmp = gxc0 * w0 + gxc1 * w1 + gxc2 * w2;
                double gcr0 = gxc0 * s, gcr1 = gxc1 * s, gcr2 = gxc2 * s;
                double gd = gtmp * omc;
                gc -= gtmp * d;
                double gw0 = gxc0 * tmp + gd * xo0 + (xo1 * gcr2 - xo2 * gcr1);
                double gw1 = gxc1 * tmp + gd * xo1 + (xo2 * gcr0 - xo0 * gcr2);
                double gw2 = gxc2 * tmp + gd * xo2 + (xo0 * gcr1 - xo1 * gcr0);
                gxo0 = gxc0 * c + gd * w0 + (gcr1 * w2 - gcr2 * w1);
                gxo1 = gxc1 * c + gd * w1 + (gcr2 * w0 - gcr0 * w2);
                gxo2 = gxc2 * c + gd * w2 + (gcr0 * w1 - gcr1 * w0);
                double gti = gw0 * r0 + gw1 * r1 + gw2 * r2;
                double gTheta = -gti * ti * ti - gc * s + gs * c;
                double gSq2 = gTheta * ti;
                gr0 = gw0 * ti + gSq2 * r0;
                gr1 = gw1 * ti + gSq2 * r1;
                gr2 = gw2 * ti + gSq2 * r2;
            }
            else
            {
                gr0 = xo1 * gxc2 - xo2 * gxc1;
                gr1 = xo2 * gxc0 - xo0 * gxc2;
                gr2 = xo0 * gxc1 - xo1 * gxc0;
                gxo0 = gxc0 + (gxc1 * r2 - gxc2 * r1);
                gxo1 = gxc1 + (gxc2 * r0 - gxc0 * r2);
                gxo2 = gxc2 + (gxc0 * r1 - gxc1 * r0);
            }
            jacobian[row, 0] = gr0; jacobian[row, 1] = gr1; jacobian[row, 2] = gr2;
            jacobian[row, 3] = -gxo0; jacobian[row, 4] = -gxo1; jacobian[row, 5] = -gxo2;
            jacobian[row, 11] = gxo0; jacobian[row, 12] = gxo1; jacobian[row, 13] = gxo2;
            jacobian[row, 14] = dW;
        }
    }
}
