namespace SymGrad.Benchmarks.Baselines;

/// <summary>
/// The careful hand-written primal and reverse-mode gradient of case (g), ADBench's GMM objective, in the spirit of
/// ADBench's manual gradient (not a copy of it): one pass over the points, each point's forward terms kept for all
/// components (x_i - mu_k and z = Q_k (x_i - mu_k)) and then its backward pass, fused loops over row-major spans
/// (<see cref="Flat"/>), the triangle walked column by column as ADBench stores it, and every per-call buffer
/// preallocated in this object (so no allocation per call; one object per thread). The adjoints of the log-diagonal
/// are gathered per component over the points and turned into <c>dIcf</c> once at the end, where the prior's terms
/// join them. Sums run in the order of <c>Gmm.Objective</c>, so the value agrees with the primal to the bit.
/// Same contract as the generated <c>ObjectiveGradient</c>: returns the objective, overwrites the gradient buffers.
/// </summary>
internal sealed class GmmHandWritten
{
    private readonly int _d, _k;
    private readonly double[] _qdiags;   // [k, d] exp of icf's log-diagonal: Q_k's diagonal
    private readonly double[] _sumQs;    // [k] sum of icf's log-diagonal
    private readonly double[] _xc;       // [k, d] x_i - mu_k, for the current point
    private readonly double[] _qxc;      // [k, d] Q_k (x_i - mu_k), for the current point
    private readonly double[] _terms;    // [k] the current point's main terms, then their softmax weights
    private readonly double[] _gz;       // [d] the adjoint of Q_k (x_i - mu_k)
    private readonly double[] _gSumQs;   // [k] sum over the points of the weights: the adjoint of sumQs (and of alphas)
    private readonly double[] _gQdiags;  // [k, d] the adjoint of Q_k's diagonal, gathered over the points

    public GmmHandWritten(int d, int k)
    {
        _d = d;
        _k = k;
        _qdiags = new double[k * d];
        _sumQs = new double[k];
        _xc = new double[k * d];
        _qxc = new double[k * d];
        _terms = new double[k];
        _gz = new double[d];
        _gSumQs = new double[k];
        _gQdiags = new double[k * d];
    }

    public double Objective(double[] alphas, double[,] means, double[,] icf, double[,] x, double wishartGamma, int wishartM)
    {
        int n = CheckShapes(alphas, means, icf, x);
        ReadOnlySpan<double> fmeans = Flat.Of(means), ficf = Flat.Of(icf), fx = Flat.Of(x);
        Preprocess(ficf);
        double slse = 0;
        for (int ix = 0; ix < n; ix++) slse += PointLogSumExp(fx.Slice(ix * _d, _d), alphas, fmeans, ficf, weights: false);
        return Total(n, slse, alphas, ficf, wishartGamma, wishartM);
    }

    public double ObjectiveGradient(double[] alphas, double[,] means, double[,] icf, double[,] x, double wishartGamma, int wishartM,
                                    Span<double> dAlphas, double[,] dMeans, double[,] dIcf)
    {
        int n = CheckShapes(alphas, means, icf, x);
        if (dAlphas.Length != _k) throw new ArgumentException("length differs from alphas", nameof(dAlphas));
        if (dMeans.GetLength(0) != _k || dMeans.GetLength(1) != _d) throw new ArgumentException("shape differs from means", nameof(dMeans));
        if (dIcf.GetLength(0) != _k || dIcf.GetLength(1) != icf.GetLength(1)) throw new ArgumentException("shape differs from icf", nameof(dIcf));

        int d = _d, k = _k, icfSize = icf.GetLength(1);
        ReadOnlySpan<double> fmeans = Flat.Of(means), ficf = Flat.Of(icf), fx = Flat.Of(x);
        Span<double> gmeans = Flat.Of(dMeans), gicf = Flat.Of(dIcf);
        Flat.Zero(gmeans); Flat.Zero(gicf);
        Span<double> gSumQs = _gSumQs, gQdiags = _gQdiags, gz = _gz;
        Flat.Zero(gSumQs); Flat.Zero(gQdiags);

        Preprocess(ficf);
        double slse = 0;
        for (int ix = 0; ix < n; ix++)
        {
            slse += PointLogSumExp(fx.Slice(ix * d, d), alphas, fmeans, ficf, weights: true);

            // d slse / d term_k is the softmax weight w_k; d term_k / d z = -z (z = Q_k (x_i - mu_k)).
            for (int ik = 0; ik < k; ik++)
            {
                double w = _terms[ik];
                gSumQs[ik] += w;
                ReadOnlySpan<double> z = _qxc.AsSpan(ik * d, d), xc = _xc.AsSpan(ik * d, d), qdiag = _qdiags.AsSpan(ik * d, d);
                ReadOnlySpan<double> lower = ficf.Slice(ik * icfSize + d, icfSize - d);
                Span<double> glower = gicf.Slice(ik * icfSize + d, icfSize - d), gqdiag = gQdiags.Slice(ik * d, d);
                Span<double> gmu = gmeans.Slice(ik * d, d);
                for (int j = 0; j < gz.Length; j++) gz[j] = -w * z[j];

                // z_j = qdiag_j xc_j + sum_{i<j} L_ji xc_i, column i of L holding rows i+1 .. d-1: one pass per
                // column gives the adjoints of qdiag, L and xc (then mu, as xc = x - mu).
                int l = 0;
                for (int i = 0; i < d; i++)
                {
                    double xci = xc[i], gxc = qdiag[i] * gz[i];
                    gqdiag[i] += gz[i] * xci;
                    for (int j = i + 1; j < d; j++, l++)
                    {
                        gxc += lower[l] * gz[j];
                        glower[l] += gz[j] * xci;
                    }
                    gmu[i] -= gxc;
                }
            }
        }

        // -n logsumexp(alphas): its weights, beside each point's weights gathered in gSumQs.
        double lseAlphas = LogSumExp(alphas);
        for (int ik = 0; ik < k; ik++) dAlphas[ik] = gSumQs[ik] - n * Math.Exp(alphas[ik] - lseAlphas);

        // icf's log-diagonal q: through sumQs (the points' weights, and -m from the prior) and through
        // qdiag = exp(q) (the points, and gamma^2 qdiag from the prior's 0.5 gamma^2 qdiag^2), times exp(q).
        // The strictly lower triangle: the points' adjoints, and gamma^2 L from the prior.
        double gamma2 = wishartGamma * wishartGamma;
        for (int ik = 0; ik < k; ik++)
        {
            ReadOnlySpan<double> qdiag = _qdiags.AsSpan(ik * d, d), gqdiag = gQdiags.Slice(ik * d, d);
            ReadOnlySpan<double> lower = ficf.Slice(ik * icfSize + d, icfSize - d);
            Span<double> gq = gicf.Slice(ik * icfSize, d), glower = gicf.Slice(ik * icfSize + d, icfSize - d);
            double gsum = gSumQs[ik] - wishartM;
            for (int id = 0; id < d; id++) gq[id] = gsum + (gqdiag[id] + gamma2 * qdiag[id]) * qdiag[id];
            for (int l = 0; l < glower.Length; l++) glower[l] += gamma2 * lower[l];
        }

        return Total(n, slse, alphas, ficf, wishartGamma, wishartM);
    }

    /// <summary>ADBench's <c>preprocess_qs</c>: each component's diagonal of Q and the sum of its logs.</summary>
    private void Preprocess(ReadOnlySpan<double> ficf)
    {
        int icfSize = ficf.Length / _k;
        for (int ik = 0; ik < _k; ik++)
        {
            ReadOnlySpan<double> q = ficf.Slice(ik * icfSize, _d);
            Span<double> qdiag = _qdiags.AsSpan(ik * _d, _d);
            double sumQ = 0;
            for (int id = 0; id < q.Length; id++)
            {
                sumQ += q[id];
                qdiag[id] = Math.Exp(q[id]);
            }
            _sumQs[ik] = sumQ;
        }
    }

    /// <summary>
    /// One point's <c>logsumexp_k(alpha_k + sumQs_k - |Q_k (x_i - mu_k)|^2 / 2)</c>, keeping x_i - mu_k and
    /// Q_k (x_i - mu_k) for every k; with <paramref name="weights"/>, leaves the softmax weights in <c>_terms</c>.
    /// </summary>
    private double PointLogSumExp(ReadOnlySpan<double> xi, double[] alphas, ReadOnlySpan<double> fmeans, ReadOnlySpan<double> ficf,
                                  bool weights)
    {
        int d = _d, icfSize = ficf.Length / _k;
        Span<double> terms = _terms;
        for (int ik = 0; ik < terms.Length; ik++)
        {
            ReadOnlySpan<double> mu = fmeans.Slice(ik * d, d), qdiag = _qdiags.AsSpan(ik * d, d);
            ReadOnlySpan<double> lower = ficf.Slice(ik * icfSize + d, icfSize - d);
            Span<double> xc = _xc.AsSpan(ik * d, d), z = _qxc.AsSpan(ik * d, d);
            for (int id = 0; id < xc.Length; id++)
            {
                xc[id] = xi[id] - mu[id];
                z[id] = qdiag[id] * xc[id];
            }
            int l = 0;
            for (int i = 0; i < d; i++)
            {
                double xci = xc[i];
                for (int j = i + 1; j < d; j++, l++) z[j] += lower[l] * xci;
            }
            double sqnorm = 0;
            for (int id = 0; id < z.Length; id++) sqnorm += z[id] * z[id];
            terms[ik] = alphas[ik] + _sumQs[ik] - 0.5 * sqnorm;
        }

        double max = terms[0];
        for (int ik = 1; ik < terms.Length; ik++) max = Math.Max(max, terms[ik]);
        double sum = 0;
        if (!weights)
        {
            for (int ik = 0; ik < terms.Length; ik++) sum += Math.Exp(terms[ik] - max);
            return Math.Log(sum) + max;
        }
        for (int ik = 0; ik < terms.Length; ik++) sum += terms[ik] = Math.Exp(terms[ik] - max);
        double inv = 1.0 / sum;
        for (int ik = 0; ik < terms.Length; ik++) terms[ik] *= inv;
        return Math.Log(sum) + max;
    }

    /// <summary>The objective from the points' sum, in <c>Gmm.Objective</c>'s order: constant, likelihood, prior.</summary>
    private double Total(int n, double slse, double[] alphas, ReadOnlySpan<double> ficf, double wishartGamma, int wishartM)
    {
        int d = _d, k = _k, icfSize = ficf.Length / k;
        double constant = -n * d * 0.5 * Math.Log(2 * Math.PI);
        double err = constant + slse - n * LogSumExp(alphas);

        double prior = 0;
        for (int ik = 0; ik < k; ik++)
        {
            ReadOnlySpan<double> qdiag = _qdiags.AsSpan(ik * d, d), lower = ficf.Slice(ik * icfSize + d, icfSize - d);
            double frobenius = 0;
            for (int id = 0; id < qdiag.Length; id++) frobenius += qdiag[id] * qdiag[id];
            for (int l = 0; l < lower.Length; l++) frobenius += lower[l] * lower[l];
            prior = prior + 0.5 * wishartGamma * wishartGamma * frobenius - wishartM * _sumQs[ik];
        }
        return err + (prior - k * WishartConstant(d, wishartGamma, wishartM));
    }

    /// <summary>
    /// The constant of ADBench's <c>log_wishart_prior</c> per component, <c>C = nW d (log gamma - log 2 / 2) -
    /// log Gamma_d(nW / 2)</c> with <c>nW = d + m + 1</c>; the multivariate log Gamma takes log Gamma at halves of
    /// integers only, a finite sum of logs (as <c>Gmm.Objective</c>; <c>Verify</c> checks it against Lanczos).
    /// </summary>
    public static double WishartConstant(int d, double wishartGamma, int wishartM)
    {
        int nW = d + wishartM + 1;
        double logGammaDistrib = 0.25 * d * (d - 1) * Math.Log(Math.PI);
        for (int j = 1; j <= d; j++) logGammaDistrib += LogGammaOfHalf(nW + 1 - j);
        return nW * d * (Math.Log(wishartGamma) - 0.5 * Math.Log(2)) - logGammaDistrib;
    }

    /// <summary><c>log Gamma(h / 2)</c> for an integer h &gt;= 1: Gamma(h/2) = (h/2 - 1) Gamma(h/2 - 1), down to Gamma(1) = 1 or Gamma(1/2) = sqrt(pi).</summary>
    public static double LogGammaOfHalf(int h)
    {
        double logGamma = 0;
        for (int twice = h - 2; twice > 0; twice -= 2) logGamma += Math.Log(0.5 * twice);
        if (h % 2 == 1) logGamma += 0.5 * Math.Log(Math.PI);
        return logGamma;
    }

    private static double LogSumExp(ReadOnlySpan<double> v)
    {
        double max = v[0];
        for (int i = 1; i < v.Length; i++) max = Math.Max(max, v[i]);
        double sum = 0;
        for (int i = 0; i < v.Length; i++) sum += Math.Exp(v[i] - max);
        return Math.Log(sum) + max;
    }

    private int CheckShapes(double[] alphas, double[,] means, double[,] icf, double[,] x)
    {
        if (alphas.Length != _k) throw new ArgumentException($"this baseline was made for k = {_k}", nameof(alphas));
        if (means.GetLength(0) != _k || means.GetLength(1) != _d) throw new ArgumentException("means must be k x d", nameof(means));
        if (icf.GetLength(0) != _k || icf.GetLength(1) != _d * (_d + 1) / 2) throw new ArgumentException("icf must be k x d(d+1)/2", nameof(icf));
        if (x.GetLength(1) != _d) throw new ArgumentException("x must be n x d", nameof(x));
        return x.GetLength(0);
    }
}
