using SeedNotebook.SecondOrder;

namespace SeedNotebook.Sections;

/// <summary>
/// Section 6 (beyond the notebook): second order. Newton's method with the generated Hessian
/// (<c>LogisticRegression.LossHessian</c>) against gradient descent on the generated gradient.
/// </summary>
public static class Section6Newton
{
    public static void Run()
    {
        Print.Section("6. Second order: Newton's method with the generated Hessian vs gradient descent");
        (double[] theta, List<FitStep> newton) = NewtonFit.Newton();
        Console.WriteLine($"  logistic regression, {LogisticRegression.Samples} points, L2 {Print.R(LogisticRegression.Lambda)}; Newton from zero:");
        foreach (FitStep s in newton) Console.WriteLine($"    step {s.Step,2}: loss {Print.R(s.Loss),-22} |gradient| {Print.E(s.GradientNorm)}");
        Console.WriteLine($"  w = ({Print.R(theta[0])}, {Print.R(theta[1])}), b = {Print.R(theta[2])}");
        (_, List<FitStep> descent) = NewtonFit.GradientDescent(learningRate: 1.0, tolerance: 1e-6, maxSteps: 100_000);
        FitStep last = descent[^1];
        Console.WriteLine($"  gradient descent (step 1.0) from zero reaches |gradient| {Print.E(last.GradientNorm)} after {last.Step} steps " +
                          $"(loss {Print.R(last.Loss)}); Newton reached {Print.E(newton[^1].GradientNorm)} after {newton[^1].Step}.");
    }
}
