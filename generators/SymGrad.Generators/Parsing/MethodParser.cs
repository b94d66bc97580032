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
        if (method.IsAbstract || method.IsExtern || (declaration.Body is null && declaration.ExpressionBody is null))
        {
            return Fail(DiagnosticDescriptors.UnsupportedMethodShape, where, method.Name, "it has no body");
        }
        if (!method.IsStatic) diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MethodNotStatic, where, method.Name));

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

        if (method.ReturnType.SpecialType != SpecialType.System_Double)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedReturnType, declaration.ReturnType.GetLocation(),
                method.Name, method.ReturnType.ToDisplayString()));
        }

        var kinds = new List<(IParameterSymbol Symbol, ParamKind Kind, bool NoDerivative)>();
        foreach (IParameterSymbol p in method.Parameters)
        {
            ParamKind? kind = p.RefKind == RefKind.None ? KindOf(p.Type) : null;
            if (kind is null)
            {
                Location loc = p.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct).GetLocation() ?? where;
                string shown = (p.RefKind == RefKind.None ? "" : p.RefKind.ToString().ToLowerInvariant() + " ") + p.Type.ToDisplayString();
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameterType, loc, p.Name, shown));
                continue;
            }
            bool noDerivative = p.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TypeNames.NoDerivativeAttribute);
            kinds.Add((p, kind.Value, noDerivative));
        }
        DerivativeModes modes = Modes(method, ct, diagnostics);
        var suffixes = new List<string> { "Tape" };
        if (modes.HasFlag(DerivativeModes.Reverse)) suffixes.Insert(0, "Gradient");
        if (modes.HasFlag(DerivativeModes.Forward)) suffixes.Add("Jvp");
        if (modes.HasFlag(DerivativeModes.HessianVector) || modes.HasFlag(DerivativeModes.Hessian)) suffixes.Add("Hvp"); // a Hessian is made of them
        if (modes.HasFlag(DerivativeModes.Hessian)) suffixes.Add("Hessian");
        foreach (string suffix in suffixes)
        {
            // The compilation the generator sees holds no generated code, so a member of that name is the user's.
            if (method.ContainingType is { } owner && owner.GetMembers(method.Name + suffix).Any(m => !m.IsImplicitlyDeclared))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameClash, where, method.Name, method.Name + suffix, owner.Name));
            }
        }
        if (diagnostics.Count > 0) return new LoweringResult(null, diagnostics.ToEquatableArray());

        if (model.GetOperation(declaration, ct) is not IMethodBodyOperation body) return Empty;
        // Lower the body with each parameter bound to its IR leaf. A local array that a loop turns out to index at run
        // time sends lowering back to the start with that array in memory (a few arrays at most: cheap).
        var memoryArrays = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        BodyLowerer lowerer;
        int result;
        while (true)
        {
            lowerer = new BodyLowerer(model.Compilation, method.Name, memoryArrays, ct);
            var env = new Env();
            for (int i = 0; i < kinds.Count; i++)
            {
                (IParameterSymbol symbol, ParamKind kind, _) = kinds[i];
                switch (kind)
                {
                    case ParamKind.Double: env.Scalars[symbol] = lowerer.Builder.Param(i, ValType.Double); break;
                    case ParamKind.Int: env.Scalars[symbol] = lowerer.Builder.Param(i, ValType.Int); break;
                    default:
                        env.Arrays[symbol] = ArrayBinding.ForParam(i);
                        lowerer.DeclareArrayParameter(i, kind == ParamKind.Array2D, kind is ParamKind.IntArray or ParamKind.IntReadOnlySpan);
                        break;
                }
            }
            try
            {
                result = lowerer.LowerMethodBody(method, body, env);
                break;
            }
            catch (NeedsMemoryException e) when (memoryArrays.Add(e.Array))
            {
            }
        }
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
        var parameters = kinds.Select((k, i) =>
        {
            extents.TryGetValue(i, out (int I, int J) e);
            return new ParamSpec(Identifier(k.Symbol.Name), k.Kind, k.NoDerivative, e.I, e.J);
        }).ToEquatableArray();

        var ir = new MethodIr(parameters, block, result, lowerer.Builder.NextId, lowerer.SourceLines.ToEquatableArray());
        string ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        var spec = new MethodSpec(ns, types.ToEquatableArray(), Identifier(method.Name), Accessibility(method), ir, modes, SourceSpot.Of(NameLocation(node)));
        return new LoweringResult(spec, EquatableArray<DiagnosticInfo>.Empty);
    }

    /// <summary>
    /// The attribute's <c>Modes</c> (Reverse when absent). No mode, or a value that is not a combination of the
    /// modes, is SG0016 on the attribute.
    /// </summary>
    private static DerivativeModes Modes(IMethodSymbol method, CancellationToken ct, List<DiagnosticInfo> diagnostics)
    {
        AttributeData? attribute = method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == TypeNames.DifferentiableAttribute);
        if (attribute is null) return DerivativeModes.Reverse;
        TypedConstant value = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Modes").Value;
        if (value.Value is not int bits) return DerivativeModes.Reverse;
        var modes = (DerivativeModes)bits;
        const DerivativeModes available = DerivativeModes.Reverse | DerivativeModes.Forward | DerivativeModes.HessianVector | DerivativeModes.Hessian;
        if ((modes & ~available) != 0 || modes == 0)
        {
            Location location = attribute.ApplicationSyntaxReference?.GetSyntax(ct).GetLocation() ?? Location.None;
            string asked = modes == 0 ? "no derivative at all (Modes = 0)"
                : $"the mode value {bits.ToString(System.Globalization.CultureInfo.InvariantCulture)}, which is not a combination of DerivativeModes";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModeNotAvailable, location, method.Name, asked));
        }
        return modes & available;
    }

    private static LoweringResult Fail(DiagnosticDescriptor descriptor, Location location, params string[] args) =>
        new(null, new[] { DiagnosticInfo.Create(descriptor, location, args) }.ToEquatableArray());

    private static ParamKind? KindOf(ITypeSymbol type) => type switch
    {
        { SpecialType: SpecialType.System_Double } => ParamKind.Double,
        { SpecialType: SpecialType.System_Int32 } => ParamKind.Int,
        IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Double, Rank: 1 } => ParamKind.Array,
        IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Double, Rank: 2 } => ParamKind.Array2D,
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
