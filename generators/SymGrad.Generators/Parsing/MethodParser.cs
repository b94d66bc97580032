using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SymGrad.Generators.Diagnostics;
using SymGrad.Generators.Ir;
using SymGrad.Generators.Model;

namespace SymGrad.Generators.Parsing;

/// <summary>
/// The front end: checks a [Differentiable] method's shape (static, partial containing types, supported types)
/// and lowers its body into IR. Never throws: every problem becomes a diagnostic. A method whose own code has
/// compiler errors gets neither output nor SymGrad diagnostics (the compiler already says what is wrong, and an
/// IDE shows half-typed code all the time).
/// </summary>
internal static class MethodParser
{
    public static LoweringResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken ct)
    {
        if (context.TargetSymbol is not IMethodSymbol method) return Empty;
        try
        {
            return ParseMethod(context.TargetNode, method, context.SemanticModel, ct);
        }
        catch (LoweringException e)
        {
            return new LoweringResult(null, e.All.ToEquatableArray());
        }
        catch (UserCodeErrorException)
        {
            return Empty; // the compiler reports the user's errors; SymGrad says nothing more about the method
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var info = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, NameLocation(context.TargetNode), method.Name, e.GetType().Name + ": " + e.Message);
            return new LoweringResult(null, new[] { info }.ToEquatableArray());
        }
    }

    private static readonly LoweringResult Empty = new(null, EquatableArray<DiagnosticInfo>.Empty);

    private static LoweringResult ParseMethod(SyntaxNode node, IMethodSymbol method, SemanticModel model, CancellationToken ct)
    {
        // A partial method's body is in its implementing declaration.
        if (method.PartialImplementationPart is { } implementation
            && implementation.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct) is MethodDeclarationSyntax implSyntax)
        {
            method = implementation;
            node = implSyntax;
            model = model.Compilation.GetSemanticModel(implSyntax.SyntaxTree);
        }
        if (model.GetDiagnostics(node.Span, ct).Any(d => d.Severity == DiagnosticSeverity.Error)) return Empty;
        // A containing type still being typed (no name yet) has errors of its own: wait until it has a name.
        for (INamedTypeSymbol? t = method.ContainingType; t is not null; t = t.ContainingType)
        {
            if (string.IsNullOrEmpty(t.Name) || t.DeclaringSyntaxReferences.Any(r => r.GetSyntax(ct) is TypeDeclarationSyntax { Identifier.IsMissing: true })) return Empty;
        }

        var diagnostics = new List<DiagnosticInfo>();
        Location where = NameLocation(node);
        if (node is not MethodDeclarationSyntax declaration)
        {
            return Fail(DiagnosticDescriptors.UnsupportedMethodShape, where, method.Name, "local functions are not supported");
        }
        if (method.IsGenericMethod) return Fail(DiagnosticDescriptors.UnsupportedMethodShape, where, method.Name, "it is generic");
        if ((method.IsVirtual || method.IsAbstract || method.IsOverride) && !method.IsSealed && !method.ContainingType.IsSealed)
        {
            // Its gradient would differentiate the body SymGrad reads while an override runs.
            return Fail(DiagnosticDescriptors.UnsupportedMethodShape, where, method.Name, "it is virtual, so an override may run instead of the body SymGrad differentiates; make it non-virtual or sealed, or the class sealed");
        }
        if (method.IsAbstract || method.IsExtern || (declaration.Body is null && declaration.ExpressionBody is null))
        {
            return Fail(DiagnosticDescriptors.UnsupportedMethodShape, where, method.Name, "it has no body");
        }
        if (!method.IsStatic && method.ContainingType.TypeKind != TypeKind.Class)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MethodNotStatic, where, method.Name, method.ContainingType.Name));
        }

        var types = new List<TypeDecl>();
        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            ct.ThrowIfCancellationRequested();
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
            {
                return Fail(DiagnosticDescriptors.UnsupportedMethodShape, where, method.Name, $"its containing type '{type.Name}' is not a class, struct or record");
            }
            bool isPartial = type.DeclaringSyntaxReferences.Any(r =>
                r.GetSyntax(ct) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!isPartial)
            {
                Location typeLocation = type.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct) is TypeDeclarationSyntax t
                    ? t.Identifier.GetLocation() : where;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotPartial, typeLocation, type.Name, method.Name));
            }
            string keyword = type.IsRecord
                ? type.TypeKind == TypeKind.Struct ? "record struct" : "record"
                : type.TypeKind == TypeKind.Struct ? "struct" : "class";
            string typeParameters = type.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", type.TypeParameters.Select(p => Identifier(p.Name))) + ">";
            // A lower-case type name is the user's choice, but repeating it would warn (CS8981) in our file: @ escapes it.
            string typeName = type.Name.All(c => c is >= 'a' and <= 'z') ? "@" + type.Name : Identifier(type.Name);
            types.Insert(0, new TypeDecl(keyword, typeName, typeParameters));
        }

        bool isVoid = method.ReturnsVoid;
        var shapes = new StructShape.Cache();
        // A method returning a struct, record or tuple of numbers is a building block: inlined where it is called,
        // with no gradient of its own (its result is not one number). It is lowered all the same, so that what is
        // wrong in it is reported on it.
        StructShape? returned = shapes.Of(method.ReturnType);
        bool buildingBlock = returned is not null;
        Real real = returned?.Leaves.FirstOrDefault(l => BodyLowerer.IsReal(l.Type.SpecialType))?.Type.SpecialType == SpecialType.System_Single ? Real.Single : RealOf(method);
        if (method.ReturnType.SpecialType is not (SpecialType.System_Double or SpecialType.System_Single) && !isVoid && !buildingBlock)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedReturnType, declaration.ReturnType.GetLocation(),
                method.Name, method.ReturnType.ToDisplayString()));
        }
        int output = OutputParameter(method, declaration, isVoid, ct, diagnostics);

        var kinds = new List<(ISymbol Symbol, ParamKind Kind, bool NoDerivative, FieldSource Field, string? Path)>();
        var structLeaves = new Dictionary<int, StructInput>();
        foreach (IParameterSymbol p in method.Parameters)
        {
            ParamKind? kind = p.RefKind == RefKind.None ? KindOf(p.Type) : null;
            if (kind is null && p.RefKind is RefKind.None or RefKind.In && shapes.Of(p.Type) is { } shape)
            {
                // A struct of numbers: each number is an input of the IR; the signatures take the struct (StructInputs).
                bool noDerivativeStruct = p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TypeNames.NoDerivativeAttribute);
                if (!buildingBlock && StructParameters.Problem(p, shape, real, noDerivativeStruct, model.Compilation, method.ContainingType) is { } problem)
                {
                    Location loc = p.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct).GetLocation() ?? where;
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedStructParameter, loc, p.Name, p.Type.ToDisplayString(), problem));
                    continue;
                }
                string typeName = p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                string writeBack = StructParameters.WriteBack(shape, shapes, "");
                for (int leaf = 0; leaf < shape.Leaves.Count; leaf++)
                {
                    structLeaves[kinds.Count] = new StructInput(Identifier(p.Name), typeName, p.RefKind == RefKind.In, shape.Leaves[leaf].Path, leaf, shape.Leaves.Count, writeBack)
                        { IsBool = shape.Leaves[leaf].Type.SpecialType == SpecialType.System_Boolean, CrefType = StructParameters.CrefName(p.Type) };
                    ParamKind leafKind = shape.Leaves[leaf].Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Boolean ? ParamKind.Int : ParamKind.Double;
                    kinds.Add((p, leafKind, noDerivativeStruct, FieldSource.None, null));
                }
                continue;
            }
            if (kind is null)
            {
                Location loc = p.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct).GetLocation() ?? where;
                string shown = (p.RefKind == RefKind.None ? "" : p.RefKind.ToString().ToLowerInvariant() + " ") + p.Type.ToDisplayString();
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameterType, loc, p.Name, shown));
                continue;
            }
            if (BodyLowerer.IsReal(BodyLowerer.ElementSpecialType(p.Type)) && BodyLowerer.ElementSpecialType(p.Type) != SpecialOf(real))
            {
                Location loc = p.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct).GetLocation() ?? where;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MixedPrecision, loc, $"The parameter '{p.Name}'",
                    real == Real.Single ? "double" : "float", real == Real.Single ? "float" : "double", method.Name, BodyLowerer.MixedAdvice(real)));
                continue;
            }
            bool noDerivative = p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TypeNames.NoDerivativeAttribute);
            kinds.Add((p, kind.Value, noDerivative, FieldSource.None, null));
        }
        // The output is the last parameter: after struct parameters were split into their numbers, the last input.
        if (output >= 0 && diagnostics.Count == 0) output = kinds.Count - 1;
        DerivativeModes modes = Modes(method, ct, diagnostics, output >= 0);
        if (structLeaves.Count > 0 && (modes & ~(DerivativeModes.Reverse | DerivativeModes.Forward)) != 0 && !buildingBlock)
        {
            DerivativeModes others = modes & ~(DerivativeModes.Reverse | DerivativeModes.Forward);
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModeNotAvailable, where, method.Name,
                $"DerivativeModes.{others.ToString().Replace(", ", " | DerivativeModes.")} but takes the struct parameter '{structLeaves.Values.First().Param.TrimStart('@')}', " +
                "for which only the gradient and the JVP (DerivativeModes.Reverse, Forward) are generated so far; pass its numbers as double parameters for the other modes"));
        }
        var suffixes = new List<string> { "Tape" };
        if (output >= 0)
        {
            // A vector output: reverse mode is a VJP, and a Jacobian is made of VJPs or JVPs.
            if (modes.HasFlag(DerivativeModes.Reverse) || modes.HasFlag(DerivativeModes.Jacobian)) suffixes.Insert(0, "Vjp");
            if (modes.HasFlag(DerivativeModes.Forward) || modes.HasFlag(DerivativeModes.Jacobian)) suffixes.Add("Jvp");
            if (modes.HasFlag(DerivativeModes.Jacobian)) suffixes.Add("Jacobian");
        }
        else
        {
            if (modes.HasFlag(DerivativeModes.Reverse)) suffixes.Insert(0, "Gradient");
            if (modes.HasFlag(DerivativeModes.Forward)) suffixes.Add("Jvp");
            if (modes.HasFlag(DerivativeModes.HessianVector) || modes.HasFlag(DerivativeModes.Hessian)) suffixes.Add("Hvp"); // a Hessian is made of them
            if (modes.HasFlag(DerivativeModes.Hessian)) suffixes.Add("Hessian");
        }
        foreach (string suffix in buildingBlock ? Enumerable.Empty<string>() : suffixes)
        {
            // The compilation the generator sees holds no generated code, so a member of that name is the user's.
            if (method.ContainingType is { } owner && owner.GetMembers(method.Name + suffix).Any(m => !m.IsImplicitlyDeclared))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameClash, where, method.Name, method.Name + suffix, owner.Name));
            }
        }
        if (diagnostics.Count > 0) return new LoweringResult(null, diagnostics.ToEquatableArray());

        if (model.GetOperation(declaration, ct) is not IMethodBodyOperation body) return Empty;
        // The fields the body reads come first, as inputs like the parameters (a model's weights, a static table).
        var fields = FieldReader.Read(method, body, model.Compilation, real, modes, where, diagnostics, ct);
        if (diagnostics.Count > 0) return new LoweringResult(null, diagnostics.ToEquatableArray());
        kinds.InsertRange(0, fields);
        if (output >= 0) output += fields.Count;
        structLeaves = structLeaves.ToDictionary(kv => kv.Key + fields.Count, kv => kv.Value);
        // Lower the body with each parameter bound to its IR leaf. A local array that a loop turns out to index at run
        // time sends lowering back to the start with that array in memory (a few arrays at most: cheap).
        var memoryArrays = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        BodyLowerer lowerer;
        int result;
        while (true)
        {
            lowerer = new BodyLowerer(model.Compilation, method.Name, memoryArrays, real, ct);
            var env = new Env();
            for (int i = 0; i < kinds.Count; i++)
            {
                (ISymbol symbol, ParamKind kind, _, FieldSource source, string? path) = kinds[i];
                // An instance field is keyed by its path from this (L1.W), as the lowerer looks it up.
                VarKey key = source == FieldSource.Instance ? new VarKey(symbol, path!) : VarKey.Of(symbol);
                if (i == output)
                {
                    env.Arrays[symbol] = lowerer.DeclareOutput(i, symbol.Name);
                    continue;
                }
                if (structLeaves.TryGetValue(i, out StructInput? leafOf))
                {
                    // (A bool member only in a building block, lowered to be checked and never emitted.)
                    ValType leafType = kind == ParamKind.Double ? ValType.Double : leafOf.IsBool ? ValType.Bool : ValType.Int;
                    env.Scalars[new VarKey(symbol, leafOf.Path)] = lowerer.Builder.Param(i, leafType);
                    continue;
                }
                switch (kind)
                {
                    case ParamKind.Double: env.Scalars[key] = lowerer.Builder.Param(i, ValType.Double); break;
                    case ParamKind.Int: env.Scalars[key] = lowerer.Builder.Param(i, ValType.Int); break;
                    default:
                        env.Arrays[key] = ArrayBinding.ForParam(i);
                        lowerer.DeclareArrayParameter(i, kind == ParamKind.Array2D, kind is ParamKind.IntArray or ParamKind.IntReadOnlySpan);
                        break;
                }
            }
            try
            {
                result = lowerer.LowerMethodBody(method, body, env, returnsVoid: output >= 0);
                break;
            }
            catch (NeedsMemoryException e) when (memoryArrays.Add(e.Array))
            {
            }
        }
        if (buildingBlock) return Empty;
        // A void method returns nothing: the paths' zeros (and the phis joining them) are left for dead code to remove.
        if (output >= 0) result = lowerer.Builder.Const(0.0);
        if (lowerer.Builder.TypeOf(result) == ValType.Int) result = lowerer.Builder.Unary(Op.IntToDouble, result);
        Block block = lowerer.Builder.Finish();

        // The extents the body reads at constant indices, checked before any work.
        var extents = new Dictionary<int, (int, int)>();
        foreach (LoadInstr load in block.Nodes.OfType<LoadInstr>())
        {
            if (!lowerer.Builder.TryGetConst(load.Index0, out double i)) continue;
            double j = -1;
            if (load.Index1 >= 0 && !lowerer.Builder.TryGetConst(load.Index1, out j)) continue;
            extents.TryGetValue(load.Param, out (int I, int J) e);
            extents[load.Param] = (Math.Max(e.I, (int)i + 1), Math.Max(e.J, (int)j + 1));
        }
        // A struct number's local (p_X) must not take the name of a parameter or field the method also has.
        var takenNames = new HashSet<string>(kinds.Where((k, i) => !structLeaves.ContainsKey(i) && !(k.Path is { } nested && nested.Contains('.'))).Select(k => k.Symbol.Name));
        var parameters = kinds.Select((k, i) =>
        {
            extents.TryGetValue(i, out (int I, int J) e);
            if (structLeaves.TryGetValue(i, out StructInput? leaf))
            {
                string leafName = k.Symbol.Name + "_" + leaf.Path.Replace('.', '_');
                while (!takenNames.Add(leafName)) leafName += "_";
                return new ParamSpec(Identifier(leafName), k.Kind, k.NoDerivative, 0, 0) { Struct = leaf };
            }
            // A static table of another type is read by its full name, where it is.
            if (k.Field == FieldSource.Static && k.Path is { } full) return new ParamSpec(full, k.Kind, k.NoDerivative, e.I, e.J) { Field = k.Field };
            // A field of a model object held in a field (L1.W) is read into the local L1_W (not taking another's name).
            string name = k.Path is { } path && path.Contains('.') ? path.Replace('.', '_') : k.Symbol.Name;
            if (k.Path is { } dotted0 && dotted0.Contains('.'))
            {
                while (!takenNames.Add(name)) name += "_";
            }
            return new ParamSpec(Identifier(name), k.Kind, k.NoDerivative, e.I, e.J)
            {
                IsOutput = i == output, Field = k.Field, FieldPath = k.Path is { } dotted && dotted.Contains('.') ? dotted : null,
                FieldHolderTypes = k.Path is { } typed && typed.Contains('.') ? FieldReader.HolderTypes(method.ContainingType, typed) : EquatableArray<string>.Empty,
            };
        }).ToEquatableArray();

        var ir = new MethodIr(parameters, block, result, lowerer.Builder.NextId, lowerer.SourceLines.ToEquatableArray()) { Real = real };
        string ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        var spec = new MethodSpec(ns, types.ToEquatableArray(), Identifier(method.Name), Accessibility(method), ir, modes, SourceSpot.Of(NameLocation(node))) { IsInstance = !method.IsStatic };
        return new LoweringResult(spec, EquatableArray<DiagnosticInfo>.Empty);
    }

    /// <summary>
    /// The attribute's <c>Modes</c> (Reverse when absent). No mode, or a value that is not a combination of the
    /// modes, is SG0016 on the attribute.
    /// </summary>
    private static DerivativeModes Modes(IMethodSymbol method, CancellationToken ct, List<DiagnosticInfo> diagnostics, bool vectorOutput)
    {
        AttributeData? attribute = method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == TypeNames.DifferentiableAttribute);
        if (attribute is null) return DerivativeModes.Reverse;
        TypedConstant value = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Modes").Value;
        if (value.Value is not int bits) return DerivativeModes.Reverse;
        var modes = (DerivativeModes)bits;
        const DerivativeModes available = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.HessianVector | DerivativeModes.Hessian | DerivativeModes.Jacobian;
        Location location = attribute.ApplicationSyntaxReference?.GetSyntax(ct).GetLocation() ?? Location.None;
        if ((modes & ~available) != 0 || modes == 0)
        {
            string asked = modes == 0 ? "no derivative at all (Modes = 0)"
                : $"the mode value {bits.ToString(System.Globalization.CultureInfo.InvariantCulture)}, which is not a combination of DerivativeModes";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModeNotAvailable, location, method.Name, asked));
        }
        if (vectorOutput && (modes & (DerivativeModes.HessianVector | DerivativeModes.Hessian)) != 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.VectorOutput, location, method.Name,
                "asks for a Hessian of a vector output",
                "second order needs a double result; ask for DerivativeModes.Reverse (Vjp), Forward (Jvp) or Jacobian, or return a double (a sum of squares) and ask for its Hessian"));
        }
        if (!vectorOutput && modes.HasFlag(DerivativeModes.Jacobian))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.VectorOutput, location, method.Name,
                "asks for DerivativeModes.Jacobian but returns a double",
                "the Jacobian of a double result is its gradient; ask for DerivativeModes.Reverse, or make the method void and write its results into a last parameter [Output] Span<double> r"));
        }
        return modes & available;
    }

    /// <summary>
    /// The index of the method's <c>[Output]</c> parameter, or -1. A vector output is one <c>Span&lt;double&gt;</c> or
    /// <c>double[]</c> parameter, the last, of a <c>void</c> method; anything else is SG0017 on the offending syntax.
    /// </summary>
    private static int OutputParameter(IMethodSymbol method, MethodDeclarationSyntax declaration, bool isVoid, CancellationToken ct, List<DiagnosticInfo> diagnostics)
    {
        var marked = method.Parameters.Where(p => p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TypeNames.OutputAttribute)).ToList();
        Location At(IParameterSymbol p) => p.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct).GetLocation() ?? NameLocation(declaration);
        void Report(Location location, string what, string advice) =>
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.VectorOutput, location, method.Name, what, advice));
        if (marked.Count == 0)
        {
            if (isVoid)
            {
                Report(declaration.ReturnType.GetLocation(), "returns void and has no [Output] parameter",
                    "return a double, or write the results into a last parameter [Output] Span<double> r");
            }
            return -1;
        }
        if (!isVoid)
        {
            Report(declaration.ReturnType.GetLocation(), $"returns '{method.ReturnType.ToDisplayString()}' and has the [Output] parameter '{marked[0].Name}'",
                "a method with a vector output returns void; make it void, or return a double and drop [Output]");
        }
        foreach (IParameterSymbol extra in marked.Skip(1))
        {
            Report(At(extra), $"has a second [Output] parameter, '{extra.Name}'",
                "write every result into one [Output] span (concatenate them), or split the method in two");
        }
        IParameterSymbol output = marked[0];
        if (output.RefKind != RefKind.None || KindOf(output.Type) is not (ParamKind.Span or ParamKind.Array))
        {
            Report(At(output), $"marks '{output.Name}' of type '{output.Type.ToDisplayString()}' as its [Output]",
                "an output is a Span<double> or a double[] passed by value");
        }
        // With two outputs, the first one is not last either: one error (the second output) is enough.
        if (marked.Count == 1 && !SymbolEqualityComparer.Default.Equals(output, method.Parameters[method.Parameters.Length - 1]))
        {
            Report(At(output), $"has its [Output] parameter '{output.Name}' before other parameters",
                "make the output the last parameter, so that the generated Vjp, Jvp and Jacobian put its seed, tangent and rows after it");
        }
        if (output.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TypeNames.NoDerivativeAttribute))
        {
            Report(At(output), $"marks its output '{output.Name}' [NoDerivative]",
                "drop [NoDerivative]: the output's elements are what is differentiated");
        }
        return isVoid && marked.Count == 1 ? output.Ordinal : -1;
    }

    private static LoweringResult Fail(DiagnosticDescriptor descriptor, Location location, params string[] args) =>
        new(null, new[] { DiagnosticInfo.Create(descriptor, location, args) }.ToEquatableArray());

    /// <summary>
    /// A method computes in float when it returns a float, or writes its results into a float output; else in double.
    /// A parameter or value of the other type is then SG0019.
    /// </summary>
    private static Real RealOf(IMethodSymbol method)
    {
        if (method.ReturnType.SpecialType == SpecialType.System_Single) return Real.Single;
        if (!method.ReturnsVoid) return Real.Double;
        IParameterSymbol? output = method.Parameters.FirstOrDefault(p => p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TypeNames.OutputAttribute));
        return output is not null && BodyLowerer.ElementSpecialType(output.Type) == SpecialType.System_Single ? Real.Single : Real.Double;
    }

    internal static SpecialType SpecialOf(Real real) => real == Real.Single ? SpecialType.System_Single : SpecialType.System_Double;

    /// <summary>How a parameter is passed; double and float alike (the method's real, <see cref="RealOf"/>).</summary>
    internal static ParamKind? KindOf(ITypeSymbol type) => type switch
    {
        { SpecialType: SpecialType.System_Double or SpecialType.System_Single } => ParamKind.Double,
        { SpecialType: SpecialType.System_Int32 } => ParamKind.Int,
        IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Double or SpecialType.System_Single, Rank: 1 } => ParamKind.Array,
        IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Double or SpecialType.System_Single, Rank: 2 } => ParamKind.Array2D,
        INamedTypeSymbol { Name: "ReadOnlySpan" } when BodyLowerer.IsSpan(type) => ParamKind.ReadOnlySpan,
        IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Int32, Rank: 1 } => ParamKind.IntArray,
        INamedTypeSymbol { Name: "ReadOnlySpan" } when BodyLowerer.IsIntSpan(type) => ParamKind.IntReadOnlySpan,
        INamedTypeSymbol { Name: "Span" } when BodyLowerer.IsSpan(type) => ParamKind.Span,
        _ => null,
    };

    private static Location NameLocation(SyntaxNode node) => node switch
    {
        MethodDeclarationSyntax m => m.Identifier.GetLocation(),
        LocalFunctionStatementSyntax f => f.Identifier.GetLocation(),
        _ => node.GetLocation(),
    };

    private static string Accessibility(IMethodSymbol method) => method.DeclaredAccessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    /// <summary>A name as C# source: keywords get their @ back.</summary>
    internal static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
