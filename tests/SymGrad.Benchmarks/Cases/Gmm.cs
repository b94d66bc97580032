using SymGrad;

namespace SymGrad.Benchmarks.Cases;

/// <summary>
/// Case (g): ADBench's Gaussian-mixture objective (microsoft/ADBench, src/cpp/shared/gmm.h: <c>gmm_objective</c>,
/// <c>preprocess_qs</c>, <c>Qtimesx</c>, <c>log_wishart_prior</c>; defs.h: <c>log_gamma_distrib</c>), every size read
/// from the arrays at run time, so the generator keeps its loops.
/// <para>
/// Parameters: <c>alphas[k]</c> (log mixture weights, unnormalised), <c>means[k, d]</c>, <c>icf[k, d(d+1)/2]</c>: per
/// component, the logs of the diagonal of Q (the Cholesky factor of the precision) and then its strictly lower
/// triangle column by column, as ADBench stores it. Data: <c>x[n, d]</c>, and the Wishart prior's gamma and m.
/// </para>
/// <para>
/// Value: <c>-n d/2 log 2pi + sum_i logsumexp_k(alpha_k + sum log diag Q_k - |Q_k (x_i - mu_k)|^2 / 2)
/// - n logsumexp(alphas) + prior</c>, ADBench's definition and order of operations as they are (gradbench's GMM eval
/// lists where they depart from the textbook model: a sign, a transposed Q, the prior on the precision).
/// </para>
/// This file is also embedded in the program and fed to the generator by <c>GeneratorRunner</c>.
/// </summary>
public static partial class Gmm
{
    /// <summary>ADBench's gmm_d10_K25 on its 1k points.</summary>
    public const int Dims = 10, Components = 25, Points = 1000;

    [Differentiable]
    public static double Objective(double[] alphas, double[,] means, double[,] icf,
                                   [NoDerivative] double[,] x, [NoDerivative] double wishartGamma, int wishartM)
    {
        int k = alphas.Length, d = means.GetLength(1), n = x.GetLength(0), icfSize = icf.GetLength(1);

        // preprocess_qs: each component's sum of log-diagonal entries, and the diagonal itself.
        double[] sumQs = new double[k];
        double[,] qdiags = new double[k, d];
        for (int ik = 0; ik < k; ik++)
        {
            double sumQ = 0;
            for (int id = 0; id < d; id++)
            {
                sumQ += icf[ik, id];
                qdiags[ik, id] = Math.Exp(icf[ik, id]);
            }
            sumQs[ik] = sumQ;
        }

        // Per-component temporaries, reused for every point and component: x_i - mu_k and Q_k (x_i - mu_k).
        double[] xcentered = new double[d];
        double[] qxcentered = new double[d];
        double[] mainTerm = new double[k];
        double slse = 0;
        for (int ix = 0; ix < n; ix++)
        {
            for (int ik = 0; ik < k; ik++)
            {
                for (int id = 0; id < d; id++)
                {
                    xcentered[id] = x[ix, id] - means[ik, id];
                    qxcentered[id] = qdiags[ik, id] * xcentered[id];
                }
                // Qtimesx: the strictly lower triangle, column i holding rows i+1 .. d-1.
                int lparams = d;
                for (int i = 0; i < d; i++)
                {
                    for (int j = i + 1; j < d; j++)
                    {
                        qxcentered[j] += icf[ik, lparams] * xcentered[i];
                        lparams++;
                    }
                }
                double sqnorm = 0;
                for (int id = 0; id < d; id++) sqnorm += qxcentered[id] * qxcentered[id];
                mainTerm[ik] = alphas[ik] + sumQs[ik] - 0.5 * sqnorm;
            }

            // logsumexp over the components, the maximum subtracted (ADBench's arr_max starts from the first).
            double maxTerm = mainTerm[0];
            for (int ik = 1; ik < k; ik++) maxTerm = Math.Max(maxTerm, mainTerm[ik]);
            double sumExp = 0;
            for (int ik = 0; ik < k; ik++) sumExp += Math.Exp(mainTerm[ik] - maxTerm);
            slse += Math.Log(sumExp) + maxTerm;
        }

        double maxAlpha = alphas[0];
        for (int ik = 1; ik < k; ik++) maxAlpha = Math.Max(maxAlpha, alphas[ik]);
        double sumExpAlpha = 0;
        for (int ik = 0; ik < k; ik++) sumExpAlpha += Math.Exp(alphas[ik] - maxAlpha);
        double lseAlphas = Math.Log(sumExpAlpha) + maxAlpha;

        double constant = -n * d * 0.5 * Math.Log(2 * Math.PI);
        double err = constant + slse - n * lseAlphas;

        // log_wishart_prior: 0.5 gamma^2 |Q_k|_F^2 - m sum log diag Q_k per component, minus k times a constant.
        double prior = 0;
        for (int ik = 0; ik < k; ik++)
        {
            double frobenius = 0;
            for (int id = 0; id < d; id++) frobenius += qdiags[ik, id] * qdiags[ik, id];
            for (int l = d; l < icfSize; l++) frobenius += icf[ik, l] * icf[ik, l];
            prior = prior + 0.5 * wishartGamma * wishartGamma * frobenius - wishartM * sumQs[ik];
        }

        // The constant needs log Gamma, which neither .NET nor the generator has; log_gamma_distrib only takes it at
        // halves of integers, (nW + 1 - j) / 2, where it is a finite sum of logs:
        // Gamma(h/2) = (h/2 - 1)(h/2 - 2) ... down to 1 (h even) or to 1/2 times Gamma(1/2) = sqrt(pi) (h odd).
        int nW = d + wishartM + 1;
        double logGammaDistrib = 0.25 * d * (d - 1) * Math.Log(Math.PI);
        for (int j = 1; j <= d; j++)
        {
            int h = nW + 1 - j;
            double logGamma = 0;
            for (int twice = h - 2; twice > 0; twice -= 2) logGamma += Math.Log(0.5 * twice);
            if (h % 2 == 1) logGamma += 0.5 * Math.Log(Math.PI);
            logGammaDistrib += logGamma;
        }
        double c = nW * d * (Math.Log(wishartGamma) - 0.5 * Math.Log(2)) - logGammaDistrib;

        return err + (prior - k * c);
    }
}
