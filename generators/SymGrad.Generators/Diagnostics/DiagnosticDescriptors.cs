using Microsoft.CodeAnalysis;

namespace SymGrad.Generators.Diagnostics;

/// <summary>
/// Every problem the generator reports: one id per kind, severity error, a message that names the construct and
/// says what to write instead, for that kind of construct only (SG0005 and SG0011 take the advice as their second
/// argument). The help link, not the message, points to the id's section in docs/diagnostics.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "SymGrad";
    private const string HelpRoot = "https://github.com/symgrad/symgrad/blob/main/docs/diagnostics.md#";

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            helpLinkUri: HelpRoot + id.ToLowerInvariant());

    public static readonly DiagnosticDescriptor MethodNotStatic = Error("SG0001",
        "[Differentiable] instance method of a struct",
        "'{0}' is an instance method of the struct '{1}': SymGrad differentiates static methods and instance methods of classes (whose fields it reads); make it static and pass the fields as parameters, or make '{1}' a class");

    public static readonly DiagnosticDescriptor TypeNotPartial = Error("SG0002",
        "Containing type is not partial",
        "Type '{0}' must be declared partial so that SymGrad can add the gradient of '{1}' beside it");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error("SG0003",
        "Unsupported return type",
        "'{0}' returns '{1}': a [Differentiable] method must return double or float");

    public static readonly DiagnosticDescriptor UnsupportedParameterType = Error("SG0004",
        "Unsupported parameter type",
        "Parameter '{0}' has type '{1}': supported are double, int, double[], double[,], ReadOnlySpan<double> and Span<double> (or the same of float), int[] and ReadOnlySpan<int>, passed by value");

    public static readonly DiagnosticDescriptor UnsupportedStatement = Error("SG0005",
        "Unsupported statement",
        "{0} is not supported in a [Differentiable] method: {1}");

    public static readonly DiagnosticDescriptor UnsupportedLoop = Error("SG0006",
        "Loop without a condition that only tests",
        "This loop cannot be differentiated: {0}. Give it a condition that only tests, e.g. for (int i = 0; i < n; i++) or while (err > tol), and assign in the body");

    public static readonly DiagnosticDescriptor UnsupportedCall = Error("SG0007",
        "Call to a method that cannot be differentiated",
        "'{0}' is neither [Differentiable], nor a supported math function (the README's table of functions), nor given a rule with [DerivativeOf]; a value being differentiated reaches it");

    public static readonly DiagnosticDescriptor AssignmentToParameter = Error("SG0008",
        "Assignment to a parameter",
        "'{0}' assigns to parameter '{1}': parameters of a [Differentiable] method are read-only; copy into a local first");

    public static readonly DiagnosticDescriptor IndexNotConstant = Error("SG0009",
        "Array index outside the array at compile time",
        "Index '{0}' {1}: a constant index must lie inside the array");

    public static readonly DiagnosticDescriptor Recursion = Error("SG0010",
        "Recursion",
        "'{0}' calls itself through {1}: [Differentiable] methods are inlined, so recursion is not supported");

    public static readonly DiagnosticDescriptor UnsupportedExpression = Error("SG0011",
        "Unsupported expression",
        "{0} is not supported in a [Differentiable] method: {1}");

    public static readonly DiagnosticDescriptor UnsupportedMethodShape = Error("SG0012",
        "Unsupported method",
        "'{0}' cannot be differentiated: {1}. SymGrad supports non-generic static methods with a body");

    public static readonly DiagnosticDescriptor MethodTooLarge = Error("SG0013",
        "Method too large after inlining and unrolling",
        "'{0}' grows to more than {1} operations once its calls are inlined and its small constant loops unrolled: keep large parts in loops with runtime bounds, or call less");

    public static readonly DiagnosticDescriptor CalleeNotDifferentiable = Error("SG0014",
        "Call to a [Differentiable] method that has errors",
        "'{0}' is [Differentiable] but cannot be inlined: it has error {1} of its own; fix that first");

    public static readonly DiagnosticDescriptor NameClash = Error("SG0015",
        "A member already has the generated name",
        "'{0}' cannot get its generated '{1}': type '{2}' already has a member of that name; rename one of them");

    public static readonly DiagnosticDescriptor ModeNotAvailable = Error("SG0016",
        "No derivative mode, or an unknown one",
        "'{0}' asks for {1}: ask for DerivativeModes.Reverse (the gradient), Forward (Jacobian-vector products), HessianVector (Hessian-vector products) or Hessian, combined with |");

    public static readonly DiagnosticDescriptor VectorOutput = Error("SG0017",
        "A vector output that cannot be differentiated",
        "'{0}' {1}: {2}");

    public static readonly DiagnosticDescriptor InvalidDerivativeRule = Error("SG0018",
        "A derivative rule that cannot be used",
        "The derivative rule '{0}' of '{1}' {2}");

    public static readonly DiagnosticDescriptor MixedPrecision = Error("SG0019",
        "float and double mixed in one method",
        "{0} is {1} in the {2} method '{3}': SymGrad computes a method, and its gradient, in one floating-point type; {4}");

    public static readonly DiagnosticDescriptor UnsupportedStructParameter = Error("SG0020",
        "A struct parameter SymGrad cannot take",
        "The parameter '{0}' of type '{1}' cannot be differentiated: {2}");

    public static readonly DiagnosticDescriptor InternalError = Error("SG0099",
        "SymGrad internal error",
        "SymGrad could not differentiate '{0}' because of an internal error ({1}); please report it with this method");

    private static readonly DiagnosticDescriptor[] All =
    {
        MethodNotStatic, TypeNotPartial, UnsupportedReturnType, UnsupportedParameterType, UnsupportedStatement,
        UnsupportedLoop, UnsupportedCall, AssignmentToParameter, IndexNotConstant, Recursion,
        UnsupportedExpression, UnsupportedMethodShape, MethodTooLarge, CalleeNotDifferentiable, NameClash, ModeNotAvailable, VectorOutput, InvalidDerivativeRule, MixedPrecision, UnsupportedStructParameter, InternalError,
    };

    public static DiagnosticDescriptor ById(string id)
    {
        foreach (DiagnosticDescriptor d in All)
        {
            if (d.Id == id) return d;
        }
        return InternalError;
    }
}
