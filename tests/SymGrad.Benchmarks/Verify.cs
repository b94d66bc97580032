using SymGrad.Benchmarks.Baselines;
using SymGrad.Benchmarks.Cases;
using SymGrad.Benchmarks.Problems;

namespace SymGrad.Benchmarks;

/// <summary>
/// <c>--verify</c>: every gradient implementation of every case against the hand-written one and against central
/// finite differences, as <c>max |a - b| / max |b|</c> over the whole gradient; the seed loss against the
/// notebook's printed number; and bytes allocated per call by the allocation-free implementations.
/// Returns the number of failed checks.
/// </summary>
public static class Verify
{
    private const double SameMath = 1e-12, FiniteDifferenceTolerance = 1e-6;
    private static int _failures;

    public static int Run()
    {
        _failures = 0;
        Mlp(MlpProblem.Seed(), expectedLoss: 3.165349361996877);
        Mlp(MlpProblem.Wide(), expectedLoss: null);
        BundleAdjustmentCase(BundleAdjustmentProblem.Typical(), "rotated");
        BundleAdjustmentCase(BundleAdjustmentProblem.Typical(zeroRotation: true), "zero rotation (first-order branch)");
        BundleAdjustmentJacobianCase(BundleAdjustmentProblem.Typical(), "rotated");
        BundleAdjustmentJacobianCase(BundleAdjustmentProblem.Typical(zeroRotation: true), "zero rotation");
        Mnist(MnistProblem.Create());
        MnistFloat(MnistProblem.Create());
        GmmCase(GmmProblem.Create());
        GmmCase(GmmProblem.Create(gamma: 0.7, m: 3, seed: 4242)); // the prior's -m sum log diag Q term, and gamma != 1
        LstmCase(LstmProblem.Create());
        Console.WriteLine(_failures == 0 ? "verify: all checks passed" : $"verify: {_failures} check(s) FAILED");
        return _failures;
    }

    private static void Mlp(MlpProblem p, double? expectedLoss)
    {
        Console.WriteLine($"== {p.Name} ==");
        double primal = p.Loss();
        Console.WriteLine($"primal loss {primal:R}");
        if (expectedLoss is double e) Check("primal = notebook's loss", Math.Abs(primal - e), 0);

        MlpGradient hand = p.NewGradient();
        double handLoss = HandWritten(p, hand);
        Check("hand-written loss vs primal", RelDiff(handLoss, primal), SameMath);
        double[] reference = hand.ToVector();

        MlpGradient fd = p.NewGradient();
        FiniteDifferences.Gradient(p, fd);
        Check("hand-written vs finite differences", RelDiff(reference, fd.ToVector()), FiniteDifferenceTolerance);

#if HAS_VALUE
        MlpGradient tape = p.NewGradient();
        Check("Value tape loss vs primal", RelDiff(MlpTape.LossGradient(p, tape), primal), SameMath);
        Check("Value tape vs hand-written", RelDiff(tape.ToVector(), reference), SameMath);
#else
        Console.WriteLine("  (Value engine not in src/SymGrad yet: tape checks skipped)");
#endif
#if GENERATED
        MlpGradient gen = p.NewGradient();
        Poison(gen);
        Check("generated loss vs primal", RelDiff(Generated(p, gen), primal), SameMath);
        Check("generated vs hand-written (buffers pre-filled with NaN)", RelDiff(gen.ToVector(), reference), SameMath);
        Check("generated: bytes allocated per call", BytesPerCall(() => Generated(p, gen)), 0);
#if HAS_VALUE
        MlpGradient genTape = p.NewGradient();
        MlpTape.LossGradient(p, genTape, IsSeed(p) ? SeedNet.LossTape : WideNet.LossTape);
        Check("generated tape vs hand-written", RelDiff(genTape.ToVector(), reference), SameMath);
#endif
#else
        Console.WriteLine("  (generated gradient pending: build with -p:SymGradGenerated=true)");
#endif
        Check("hand-written: bytes allocated per call", BytesPerCall(() => HandWritten(p, hand)), 0);
    }

    private static bool IsSeed(MlpProblem p) => p.Name.StartsWith("seed", StringComparison.Ordinal);

#if GENERATED
    private static double Generated(MlpProblem p, MlpGradient g) => IsSeed(p)
        ? SeedNet.LossGradient(p.W1, p.B1, p.W2, p.B2, p.WOut, p.BOut, p.X, p.Y, g.DW1, g.DB1, g.DW2, g.DB2, g.DWOut, ref g.DBOut)
        : WideNet.LossGradient(p.W1, p.B1, p.W2, p.B2, p.WOut, p.BOut, p.X, p.Y, g.DW1, g.DB1, g.DW2, g.DB2, g.DWOut, ref g.DBOut);
#endif

    private static double HandWritten(MlpProblem p, MlpGradient g) =>
        MlpHandWritten.LossGradient(p.W1, p.B1, p.W2, p.B2, p.WOut, p.BOut, p.X, p.Y,
                                    g.DW1, g.DB1, g.DW2, g.DB2, g.DWOut, ref g.DBOut);

    private static void BundleAdjustmentCase(BundleAdjustmentProblem b, string what)
    {
        Console.WriteLine($"== bundle adjustment, {what} ==");
        double primal = BundleAdjustment.Objective(b.Cam, b.X, b.W, b.Feat);
        Console.WriteLine($"primal objective {primal:R}");
        double value = BundleAdjustmentHandWritten.ObjectiveGradient(b.Cam, b.X, b.W, b.Feat, b.DCam, b.DX, ref b.DW);
        Check("hand-derived value vs primal", RelDiff(value, primal), SameMath);
        double[] reference = b.GradientVector();
        Console.WriteLine($"  hand-derived gradient: [{string.Join(", ", reference.Select(v => v.ToString("G6")))}]");

        FiniteDifferences.Gradient(b);
        Check("hand-derived vs finite differences", RelDiff(reference, b.GradientVector()), FiniteDifferenceTolerance);
#if HAS_VALUE
        BundleAdjustmentTape.ObjectiveGradient(b);
        Check("Value tape vs hand-derived", RelDiff(b.GradientVector(), reference), SameMath);
#endif
#if GENERATED
        Array.Fill(b.DCam, double.NaN);
        Array.Fill(b.DX, double.NaN);
        double genValue = BundleAdjustment.ObjectiveGradient(b.Cam, b.X, b.W, b.Feat, b.DCam, b.DX, ref b.DW);
        Check("generated value vs primal", RelDiff(genValue, primal), SameMath);
        Check("generated vs hand-derived (buffers pre-filled with NaN)", RelDiff(b.GradientVector(), reference), SameMath);
        Check("generated: bytes allocated per call", BytesPerCall(
            () => BundleAdjustment.ObjectiveGradient(b.Cam, b.X, b.W, b.Feat, b.DCam, b.DX, ref b.DW)), 0);
#if HAS_VALUE
        BundleAdjustmentTape.ObjectiveGradient(b, BundleAdjustment.ObjectiveTape);
        Check("generated tape vs hand-derived", RelDiff(b.GradientVector(), reference), SameMath);
#endif
#endif
        Check("hand-derived: bytes allocated per call", BytesPerCall(
            () => BundleAdjustmentHandWritten.ObjectiveGradient(b.Cam, b.X, b.W, b.Feat, b.DCam, b.DX, ref b.DW)), 0);
    }

    /// <summary>The residuals' 3 x 15 Jacobian: hand-derived against finite differences, generated against hand-derived.</summary>
    private static void BundleAdjustmentJacobianCase(BundleAdjustmentProblem b, string what)
    {
        Console.WriteLine($"== bundle adjustment residuals' Jacobian, {what} ==");
        double[] r = new double[3], rHand = new double[3];
        var hand = new double[3, 15];
        BundleAdjustmentJacobianHandWritten.Jacobian(b.Cam, b.X, b.W, b.Feat, rHand, hand);
        double[] z = [.. b.Cam, .. b.X, b.W];
        void Residuals(double[] at, double[] into) => BundleAdjustmentResiduals.Residuals(at.AsSpan(0, 11), at.AsSpan(11, 3), at[14], b.Feat, into);
        Residuals(z, r);
        Check("hand-derived residuals vs the method's", RelDiff(rHand, r), SameMath);
        var fd = new double[3, 15];
        for (int k = 0; k < 15; k++)
        {
            double h = 1e-6 * Math.Max(1, Math.Abs(z[k]));
            double[] plus = (double[])z.Clone(), minus = (double[])z.Clone(), rp = new double[3], rm = new double[3];
            plus[k] += h;
            minus[k] -= h;
            Residuals(plus, rp);
            Residuals(minus, rm);
            for (int i = 0; i < 3; i++) fd[i, k] = (rp[i] - rm[i]) / (2 * h);
        }
        Check("hand-derived Jacobian vs finite differences", RelDiff(Flatten(hand), Flatten(fd)), FiniteDifferenceTolerance);
#if GENERATED
        var generated = new double[3, 15];
        BundleAdjustmentResiduals.ResidualsJacobian(b.Cam, b.X, b.W, b.Feat, r, generated);
        Check("generated Jacobian vs hand-derived", RelDiff(Flatten(generated), Flatten(hand)), SameMath);
        Check("generated Jacobian: bytes allocated per call", BytesPerCall(
            () =>
            {
                BundleAdjustmentResiduals.ResidualsJacobian(b.Cam, b.X, b.W, b.Feat, r, generated);
                return generated[0, 0];
            }), 0);
#endif
    }

    private static double[] Flatten(double[,] m) => m.Cast<double>().ToArray();

    /// <summary>
    /// Case (f), 101,770 parameters: generated against hand-written on the whole gradient (summation orders differ,
    /// hence 1e-10), finite differences on a few coordinates only (two primal calls each), bytes over a few calls.
    /// </summary>
    private static void Mnist(MnistProblem p)
    {
        const int calls = 20;
        Console.WriteLine($"== {p.Name} ==");
        double primal = p.Loss();
        Console.WriteLine($"primal loss {primal:R}, {LiveFraction(p):P1} of the hidden units live (z > 0) over the batch");
        Check("hand-written primal vs primal", RelDiff(MnistMlpHandWritten<double>.Loss(p.W1, p.B1, p.W2, p.B2, p.X, p.Labels), primal), 0);

        Func<double> hand = () => MnistMlpHandWritten<double>.LossGradient(p.W1, p.B1, p.W2, p.B2, p.X, p.Labels, p.DW1, p.DB1, p.DW2, p.DB2);
        PoisonMnist(p);
        Check("hand-written loss vs primal", RelDiff(hand(), primal), 0);
        double[] reference = p.GradientVector();
        Check("hand-written: no NaN left (buffers pre-filled with NaN)", reference.Count(double.IsNaN), 0);

        // A few coordinates with a sizeable derivative in each parameter (each costs two primal calls): the three
        // hidden units with the largest bias derivative, their two largest input weights, their weights to the
        // first two classes, and every output bias.
        var derivatives = new List<Func<double>>(); // each reads its entry of the gradient buffers when called
        var fd = new List<double>();
        void At(ref double param, Func<double> derivative)
        {
            derivatives.Add(derivative);
            fd.Add(FiniteDifferences.Central(ref param, p.Loss));
        }
        double[] AtCoordinates() => [.. derivatives.Select(d => d())];
        int[] units = [.. Enumerable.Range(0, p.B1.Length).OrderByDescending(j => Math.Abs(p.DB1[j])).Take(3)];
        foreach (int j in units)
        {
            foreach (int k in Enumerable.Range(0, p.X.GetLength(1)).OrderByDescending(k => Math.Abs(p.DW1[j, k])).Take(2))
                At(ref p.W1[j, k], () => p.DW1[j, k]);
            At(ref p.B1[j], () => p.DB1[j]);
            foreach (int c in (int[])[0, 1]) At(ref p.W2[c, j], () => p.DW2[c, j]);
        }
        foreach (int c in Enumerable.Range(0, p.B2.Length)) At(ref p.B2[c], () => p.DB2[c]); // foreach: one c per closure
        Console.WriteLine($"  finite differences on {fd.Count} coordinates (hidden units {string.Join(", ", units)})");
        Check("hand-written vs finite differences (those coordinates)", RelDiff(AtCoordinates(), [.. fd]), FiniteDifferenceTolerance);
        Check("finite differences left the parameters as they were", RelDiff(p.Loss(), primal), 0);
#if GENERATED
        const double Reordered = 1e-10;
        Func<double> gen = () => MnistMlp.LossGradient(p.W1, p.B1, p.W2, p.B2, p.X, p.Labels, p.DW1, p.DB1, p.DW2, p.DB2);
        PoisonMnist(p);
        Check("generated loss vs primal", RelDiff(gen(), primal), Reordered);
        Check("generated vs hand-written (buffers pre-filled with NaN)", RelDiff(p.GradientVector(), reference), Reordered);
        Check("generated vs finite differences (those coordinates)", RelDiff(AtCoordinates(), [.. fd]), FiniteDifferenceTolerance);
        Check($"generated: bytes allocated per call (over {calls})", BytesPerCall(gen, calls), 0);
#else
        Console.WriteLine("  (generated gradient pending: build with -p:SymGradGenerated=true)");
#endif
        Check($"hand-written: bytes allocated per call (over {calls})", BytesPerCall(hand, calls), 0);
        Check($"primal: bytes allocated per call (over {calls})", BytesPerCall(p.Loss, calls), 0);
    }

    /// <summary>
    /// Case (f) in float: the hand-written float pass against the float primal (to the bit: the same order) and the
    /// double gradient of the same network (float rounding: 1e-5 of the largest entry); the generated float gradient
    /// against the float primal (to the bit), the hand-written float one (reordered float sums) and the double
    /// one (1e-5 each); bytes per call.
    /// </summary>
    private static void MnistFloat(MnistProblem d)
    {
        const int calls = 20;
        const double FloatRounding = 1e-5, FloatReordered = 1e-5; // measured: 2.4e-7 and 2.0e-7
        MnistFloatProblem p = MnistFloatProblem.From(d);
        Console.WriteLine($"== {d.Name}, float ==");
        float primal = p.Loss();
        Console.WriteLine($"primal loss {primal:R} (double: {d.Loss():R})");
        Check("float primal vs double primal", RelDiff(primal, d.Loss()), FloatRounding);
        MnistMlpHandWritten<double>.LossGradient(d.W1, d.B1, d.W2, d.B2, d.X, d.Labels, d.DW1, d.DB1, d.DW2, d.DB2);
        double[] inDouble = d.GradientVector();

        Func<float> hand = () => MnistMlpHandWritten<float>.LossGradient(p.W1, p.B1, p.W2, p.B2, p.X, p.Labels, p.DW1, p.DB1, p.DW2, p.DB2);
        PoisonMnistFloat(p);
        Check("float hand-written loss vs float primal", RelDiff(hand(), primal), 0);
        double[] reference = p.GradientVector();
        Check("float hand-written: no NaN left (buffers pre-filled with NaN)", reference.Count(double.IsNaN), 0);
        Check("float hand-written vs the double gradient", RelDiff(reference, inDouble), FloatRounding);
#if GENERATED
        Func<float> gen = () => MnistMlpFloat.LossGradient(p.W1, p.B1, p.W2, p.B2, p.X, p.Labels, p.DW1, p.DB1, p.DW2, p.DB2);
        PoisonMnistFloat(p);
        Check("float generated loss vs float primal", RelDiff(gen(), primal), 0);
        Check("float generated vs float hand-written (buffers pre-filled with NaN)", RelDiff(p.GradientVector(), reference), FloatReordered);
        Check("float generated vs the double gradient", RelDiff(p.GradientVector(), inDouble), FloatRounding);
        Check($"float generated: bytes allocated per call (over {calls})", BytesPerCall(() => gen(), calls), 0);
#else
        Console.WriteLine("  (generated gradient pending: build with -p:SymGradGenerated=true)");
#endif
        Check($"float hand-written: bytes allocated per call (over {calls})", BytesPerCall(() => hand(), calls), 0);
    }

    private static void PoisonMnistFloat(MnistFloatProblem p)
    {
        Flat.Of(p.DW1).Fill(float.NaN); Flat.Of(p.DW2).Fill(float.NaN);
        Array.Fill(p.DB1, float.NaN); Array.Fill(p.DB2, float.NaN);
    }

    /// <summary>
    /// Case (g), 1,650 parameters: generated and the tape twin against hand-written on the whole gradient (summation
    /// orders differ, hence 1e-10), finite differences on every alpha and every parameter of three components (the
    /// most and the least responsible for the points, and one between), the Wishart constant against an independent
    /// log Gamma, bytes over a few calls.
    /// </summary>
    private static void GmmCase(GmmProblem p)
    {
        const int calls = 5;
        const double Reordered = 1e-10;
        Console.WriteLine($"== {p.Name} ==");
        double primal = p.Objective();
        Console.WriteLine($"primal objective {primal:R}");
        var handObject = new GmmHandWritten(p.D, p.K);
        Check("hand-written primal vs primal", RelDiff(handObject.Objective(p.Alphas, p.Means, p.Icf, p.X, p.Gamma, p.M), primal), 0);

        double lanczos = 0.25 * p.D * (p.D - 1) * Math.Log(Math.PI);
        for (int j = 1; j <= p.D; j++) lanczos += LogGammaLanczos(0.5 * (p.D + p.M + 1) + 0.5 * (1 - j));
        double nW = p.D + p.M + 1, wishartConstant = GmmHandWritten.WishartConstant(p.D, p.Gamma, p.M);
        Check($"Wishart constant {wishartConstant:R} vs Lanczos log Gamma",
              RelDiff(wishartConstant, nW * p.D * (Math.Log(p.Gamma) - 0.5 * Math.Log(2)) - lanczos), 1e-13);

        Func<double> hand = () => handObject.ObjectiveGradient(p.Alphas, p.Means, p.Icf, p.X, p.Gamma, p.M, p.DAlphas, p.DMeans, p.DIcf);
        PoisonGmm(p);
        Check("hand-written value vs primal", RelDiff(hand(), primal), 0);
        double[] reference = p.GradientVector();
        Check("hand-written: no NaN left (buffers pre-filled with NaN)", reference.Count(double.IsNaN), 0);

        // Every alpha, and every mean and icf entry of three components ranked by their d objective / d alpha
        // (each point's responsibilities summed, less n times the mixture weight).
        var derivatives = new List<Func<double>>(); // each reads its entry of the gradient buffers when called
        var fd = new List<double>();
        void At(ref double param, Func<double> derivative)
        {
            derivatives.Add(derivative);
            fd.Add(FiniteDifferences.Central(ref param, p.Objective));
        }
        double[] AtCoordinates() => [.. derivatives.Select(d => d())];
        foreach (int k in Enumerable.Range(0, p.K)) At(ref p.Alphas[k], () => p.DAlphas[k]);
        int[] ranked = [.. Enumerable.Range(0, p.K).OrderBy(k => p.DAlphas[k])];
        int[] components = [ranked[0], ranked[p.K / 2], ranked[^1]];
        foreach (int k in components)
        {
            foreach (int id in Enumerable.Range(0, p.D)) At(ref p.Means[k, id], () => p.DMeans[k, id]);
            foreach (int l in Enumerable.Range(0, p.Icf.GetLength(1))) At(ref p.Icf[k, l], () => p.DIcf[k, l]);
        }
        Console.WriteLine($"  finite differences on {fd.Count} coordinates (components {string.Join(", ", components)})");
        Check("hand-written vs finite differences (those coordinates)", RelDiff(AtCoordinates(), [.. fd]), FiniteDifferenceTolerance);
        Check("finite differences left the parameters as they were", RelDiff(p.Objective(), primal), 0);
#if GENERATED
        Func<double> gen = () => Gmm.ObjectiveGradient(p.Alphas, p.Means, p.Icf, p.X, p.Gamma, p.M, p.DAlphas, p.DMeans, p.DIcf);
        PoisonGmm(p);
        Check("generated value vs primal", RelDiff(gen(), primal), SameMath);
        Check("generated vs hand-written (buffers pre-filled with NaN)", RelDiff(p.GradientVector(), reference), Reordered);
        Check("generated vs finite differences (those coordinates)", RelDiff(AtCoordinates(), [.. fd]), FiniteDifferenceTolerance);
        Check($"generated: bytes allocated per call (over {calls})", BytesPerCall(gen, calls), 0);
#if HAS_VALUE
        Value[] alphas = MlpTape.Leaves(p.Alphas);
        Value[,] means = MlpTape.Leaves(p.Means), icf = MlpTape.Leaves(p.Icf);
        Value tape = Gmm.ObjectiveTape(alphas, means, icf, p.X, p.Gamma, p.M);
        tape.Backward();
        MlpTape.Grads(alphas, p.DAlphas); MlpTape.Grads(means, p.DMeans); MlpTape.Grads(icf, p.DIcf);
        Check("generated tape twin value vs primal", RelDiff(tape.Data, primal), SameMath);
        Check("generated tape twin vs hand-written", RelDiff(p.GradientVector(), reference), Reordered);
#endif
#else
        Console.WriteLine("  (generated gradient pending: build with -p:SymGradGenerated=true)");
#endif
        Check($"hand-written: bytes allocated per call (over {calls})", BytesPerCall(hand, calls), 0);
        // Not a check: the primal is the user's method, whose local arrays are `new double[...]`.
        Console.WriteLine($"  (primal: {BytesPerCall(p.Objective, calls):N0} bytes allocated per call, its local arrays)");
    }

    // Gradients are written, never accumulated: NaN left in a buffer shows an entry that was not overwritten.
    private static void PoisonGmm(GmmProblem p)
    {
        Array.Fill(p.DAlphas, double.NaN);
        Flat.Of(p.DMeans).Fill(double.NaN); Flat.Of(p.DIcf).Fill(double.NaN);
    }

    /// <summary>log Gamma(x) for x &gt; 0 by Lanczos' approximation (g = 7, 9 terms; about 1e-15 relative), independent of
    /// the sums of logs the GMM's Wishart constant uses.</summary>
    private static double LogGammaLanczos(double x)
    {
        ReadOnlySpan<double> c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                                  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
                                  1.5056327351493116e-7];
        x -= 1;
        double a = c[0], t = x + 7.5;
        for (int i = 1; i < c.Length; i++) a += c[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    /// <summary>
    /// Case (h), 266 parameters: generated and the tape twin against hand-written (1e-10: summation orders differ),
    /// and central finite differences over every parameter.
    /// </summary>
    private static void LstmCase(LstmProblem p)
    {
        const double Reordered = 1e-10;
        Console.WriteLine($"== {p.Name} ==");
        double primal = p.Objective();
        Console.WriteLine($"primal loss {primal:R}");
        var handObject = new LstmHandWritten(p.Layers, p.B, p.C);
        Check("hand-written primal vs primal", RelDiff(handObject.Objective(p.MainParams, p.ExtraParams, p.State, p.Sequence), primal), 0);

        Func<double> hand = () => handObject.ObjectiveGradient(p.MainParams, p.ExtraParams, p.State, p.Sequence, p.DMainParams, p.DExtraParams);
        PoisonLstm(p);
        Check("hand-written loss vs primal", RelDiff(hand(), primal), 0);
        double[] reference = p.GradientVector();
        Check("hand-written: no NaN left (buffers pre-filled with NaN)", reference.Count(double.IsNaN), 0);

        FiniteDifferences.Gradient(p);
        Check("hand-written vs finite differences (every parameter)", RelDiff(reference, p.GradientVector()), FiniteDifferenceTolerance);
        Check("finite differences left the parameters as they were", RelDiff(p.Objective(), primal), 0);
#if GENERATED
        Func<double> gen = () => Lstm.ObjectiveGradient(p.MainParams, p.ExtraParams, p.State, p.Sequence, p.DMainParams, p.DExtraParams);
        PoisonLstm(p);
        Check("generated loss vs primal", RelDiff(gen(), primal), SameMath);
        Check("generated vs hand-written (buffers pre-filled with NaN)", RelDiff(p.GradientVector(), reference), Reordered);
        Check("generated: bytes allocated per call", BytesPerCall(gen), 0);
#if HAS_VALUE
        Value[,] main = MlpTape.Leaves(p.MainParams), extra = MlpTape.Leaves(p.ExtraParams);
        Value tape = Lstm.ObjectiveTape(main, extra, p.State, p.Sequence);
        tape.Backward();
        MlpTape.Grads(main, p.DMainParams); MlpTape.Grads(extra, p.DExtraParams);
        Check("generated tape twin loss vs primal", RelDiff(tape.Data, primal), SameMath);
        Check("generated tape twin vs hand-written", RelDiff(p.GradientVector(), reference), Reordered);
#endif
#else
        Console.WriteLine("  (generated gradient pending: build with -p:SymGradGenerated=true)");
#endif
        Check("hand-written: bytes allocated per call", BytesPerCall(hand), 0);
        Console.WriteLine($"  (primal: {BytesPerCall(p.Objective):N0} bytes allocated per call, its local arrays)");
    }

    private static void PoisonLstm(LstmProblem p)
    {
        Flat.Of(p.DMainParams).Fill(double.NaN); Flat.Of(p.DExtraParams).Fill(double.NaN);
    }

    private static double LiveFraction(MnistProblem p)
    {
        int batch = p.X.GetLength(0), inputs = p.X.GetLength(1), hidden = p.B1.Length, live = 0;
        for (int s = 0; s < batch; s++)
        {
            for (int j = 0; j < hidden; j++)
            {
                double z = p.B1[j];
                for (int k = 0; k < inputs; k++) z += p.W1[j, k] * p.X[s, k];
                if (z > 0) live++;
            }
        }
        return live / (double)(batch * hidden);
    }

    // Gradients are written, never accumulated: NaN left in a buffer shows an entry that was not overwritten.
    private static void PoisonMnist(MnistProblem p)
    {
        Flat.Of(p.DW1).Fill(double.NaN); Flat.Of(p.DW2).Fill(double.NaN);
        Array.Fill(p.DB1, double.NaN); Array.Fill(p.DB2, double.NaN);
    }

#if GENERATED
    // Gradients are written, never accumulated: NaN left in a buffer shows an entry that was not overwritten.
    private static void Poison(MlpGradient g)
    {
        Flat.Of(g.DW1).Fill(double.NaN); Flat.Of(g.DW2).Fill(double.NaN);
        Array.Fill(g.DB1, double.NaN); Array.Fill(g.DB2, double.NaN); Array.Fill(g.DWOut, double.NaN);
        g.DBOut = double.NaN;
    }
#endif

    /// <summary>Whole-vector relative difference, <c>max |a - b| / max |b|</c> (NaN anywhere makes it NaN).</summary>
    private static double RelDiff(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"lengths {a.Length} and {b.Length} differ", nameof(b));
        double diff = 0, scale = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = Math.Abs(a[i] - b[i]);
            if (double.IsNaN(d)) return double.NaN;
            diff = Math.Max(diff, d);
            scale = Math.Max(scale, Math.Abs(b[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    private static double RelDiff(double a, double b) => RelDiff([a], [b]);

    private static double BytesPerCall(Func<double> call, int calls = 10_000)
    {
        for (int i = 0; i < Math.Min(100, calls); i++) call(); // warm up: tiered JIT, static constructors, tape growth
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++) call();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;
    }

    private static void Check(string what, double value, double tolerance)
    {
        bool ok = value <= tolerance; // NaN fails
        if (!ok) _failures++;
        Console.WriteLine($"  {(ok ? "ok  " : "FAIL")} {what}: {value:G3} (tolerance {tolerance:G1})");
    }
}
