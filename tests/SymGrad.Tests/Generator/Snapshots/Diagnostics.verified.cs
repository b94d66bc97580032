SG0003 8:36 'ReturnsDecimal' returns 'decimal': a [Differentiable] method must return double or float
SG0004 9:70 Parameter 'x' has type 'decimal': supported are double, int, double[], double[,], ReadOnlySpan<double> and Span<double> (or the same of float), int[] and ReadOnlySpan<int>, passed by value
SG0005 10:61 A try statement is not supported in a [Differentiable] method: validate the arguments before the call; the method itself must not throw
SG0006 11:95 This loop cannot be differentiated: its condition 'k < 3' is always true, so the loop never ends. Give it a condition that only tests, e.g. for (int i = 0; i < n; i++) or while (err > tol), and assign in the body
SG0007 12:68 'System.Math.BitDecrement(double)' is neither [Differentiable], nor a supported math function (the README's table of functions), nor given a rule with [DerivativeOf]; a value being differentiated reaches it
SG0008 13:73 'v[0] = 1' assigns to parameter 'v': parameters of a [Differentiable] method are read-only; copy into a local first
SG0009 14:74 Index '-1' is -1, below 0: a constant index must lie inside the array
SG0010 15:78 'Recursive' calls itself through Recursive -> Recursive: [Differentiable] methods are inlined, so recursion is not supported
SG0011 16:66 The operator '%' on double in 'x % 2.0' is not supported in a [Differentiable] method: % has no useful derivative on double (it is supported on int): compute it before the call and pass the result as a [NoDerivative] parameter
SG0012 17:43 'Generic' cannot be differentiated: it is generic. SymGrad supports non-generic static methods with a body
SG0013 18:43 'TooLarge' grows to more than 200000 operations once its calls are inlined and its small constant loops unrolled: keep large parts in loops with runtime bounds, or call less
SG0014 22:68 'Bad.Methods.Broken(double)' is [Differentiable] but cannot be inlined: it has error SG0005 of its own; fix that first
SG0005 23:62 A try statement is not supported in a [Differentiable] method: validate the arguments before the call; the method itself must not throw
SG0015 24:43 'Clashes' cannot get its generated 'ClashesGradient': type 'Methods' already has a member of that name; rename one of them
SG0016 26:6 'NoMode' asks for no derivative at all (Modes = 0): ask for DerivativeModes.Reverse (the gradient), Forward (Jacobian-vector products), HessianVector (Hessian-vector products) or Hessian, combined with |
SG0017 27:36 'NoOutput' returns void and has no [Output] parameter: return a double, or write the results into a last parameter [Output] Span<double> r
SG0018 28:68 The derivative rule 'SqDerivative' of 'Sq' must return a double: the derivative
SG0019 31:73 'x * 0.5' is double in the float method 'HalfDouble': SymGrad computes a method, and its gradient, in one floating-point type; write float literals (0.5f), MathF and SymMathF functions, and float locals and arrays, or make the whole method double
SG0020 33:53 The parameter 'f' of type 'Bad.Methods.Flag' cannot be differentiated: its member On is a bool; keep bools out of the structs a method takes, or pass the numbers as parameters
SG0001 36:86 'NotStatic' is an instance method of the struct 'InStruct': SymGrad differentiates static methods and instance methods of classes (whose fields it reads); make it static and pass the fields as parameters, or make 'InStruct' a class
SG0002 37:14 Type 'NotPartial' must be declared partial so that SymGrad can add the gradient of 'InNotPartial' beside it
