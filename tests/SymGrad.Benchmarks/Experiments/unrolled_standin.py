# A stand-in for the generator's output, to see how RyuJIT treats fully unrolled, scalarised gradient code before
# the generator exists: writes Unrolled.cs (classes Seed = 3-4-4-1 x4 and Wide = 16-32-32-1 x32, with the
# LossGradient signature) into the current directory. Compile it in a scratch net10.0 console project, call both
# methods in a loop, and run with DOTNET_JitDisasmSummary=1 DOTNET_JitStdOutFile=jit.txt to see each method's tier.
# Not part of the build; docs/benchmarks.md reports what it showed.
def emit(name, B, NI, H):
    L=[]; a=L.append
    a(f"public static double {name}(double[,] w1, double[] b1, double[,] w2, double[] b2, double[] wOut, double bOut, double[,] x, double[] y, double[,] dW1, Span<double> dB1, double[,] dW2, Span<double> dB2, Span<double> dWOut, ref double dBOut) {{")
    # load parameters once
    for i in range(H):
        for j in range(NI): a(f"double w1_{i}_{j} = w1[{i},{j}];")
        a(f"double b1_{i} = b1[{i}];")
    for i in range(H):
        for j in range(H): a(f"double w2_{i}_{j} = w2[{i},{j}];")
        a(f"double b2_{i} = b2[{i}];")
    for j in range(H): a(f"double wo_{j} = wOut[{j}];")
    a("double loss = 0;")
    for s in range(B):
        for j in range(NI): a(f"double x_{s}_{j} = x[{s},{j}];")
        for i in range(H):
            e=f"b1_{i}" + "".join(f" + w1_{i}_{j} * x_{s}_{j}" for j in range(NI))
            a(f"double z1_{s}_{i} = {e}; double h1_{s}_{i} = z1_{s}_{i} > 0 ? z1_{s}_{i} : 0;")
        for i in range(H):
            e=f"b2_{i}" + "".join(f" + w2_{i}_{j} * h1_{s}_{j}" for j in range(H))
            a(f"double z2_{s}_{i} = {e}; double h2_{s}_{i} = z2_{s}_{i} > 0 ? z2_{s}_{i} : 0;")
        e="bOut" + "".join(f" + wo_{j} * h2_{s}_{j}" for j in range(H))
        a(f"double err_{s} = {e} - y[{s}]; loss += err_{s} * err_{s};")
    # backward
    for s in range(B):
        a(f"double g_{s} = 2 * err_{s};")
        for i in range(H): a(f"double g2_{s}_{i} = z2_{s}_{i} > 0 ? g_{s} * wo_{i} : 0;")
        for j in range(H):
            e=" + ".join(f"g2_{s}_{i} * w2_{i}_{j}" for i in range(H))
            a(f"double g1_{s}_{j} = z1_{s}_{j} > 0 ? {e} : 0;")
    a("double gbo = " + " + ".join(f"g_{s}" for s in range(B)) + "; dBOut = gbo;")
    for j in range(H): a(f"dWOut[{j}] = " + " + ".join(f"g_{s} * h2_{s}_{j}" for s in range(B)) + ";")
    for i in range(H):
        a(f"dB2[{i}] = " + " + ".join(f"g2_{s}_{i}" for s in range(B)) + ";")
        for j in range(H): a(f"dW2[{i},{j}] = " + " + ".join(f"g2_{s}_{i} * h1_{s}_{j}" for s in range(B)) + ";")
    for i in range(H):
        a(f"dB1[{i}] = " + " + ".join(f"g1_{s}_{i}" for s in range(B)) + ";")
        for j in range(NI): a(f"dW1[{i},{j}] = " + " + ".join(f"g1_{s}_{i} * x_{s}_{j}" for s in range(B)) + ";")
    a("return loss; }")
    return "\n".join(L)
open("Unrolled.cs","w").write("public static class Unrolled {\n" + emit("Seed",4,3,4) + "\n" + emit("Wide",32,16,32) + "\n}\n")
