using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using SymGrad.Generators.Diagnostics;
using SymGrad.Generators.Ir;

namespace SymGrad.Generators.Parsing;

internal sealed partial class BodyLowerer
{
    /// <summary>A local: a scalar, a local array of constant size (scalarised), or another name for an array.</summary>
    private void Declare(IVariableDeclaratorOperation declarator, Env env)
    {
        ILocalSymbol local = declarator.Symbol;
        IOperation? init = declarator.GetVariableInitializer()?.Value;
        if (local.IsRef)
        {
            // Writes through it would change another variable, which the lowering (one value per name) cannot follow.
            throw UnsupportedExpr(declarator, $"The ref local '{local.Name}'", "assign the variable itself, or copy into a plain local and assign it back");
        }
        CheckPrecision(declarator, local.Type);
        if (TypeOf(local.Type) is not null)
        {
            if (init is null) return; // assigned later; C# guarantees it is assigned before it is read
            int value = Scalar(init, env);
            env.Scalars[local] = value;
            _b.NameValue(value, local.Name);
            return;
        }
        if (ShapeOf(local.Type) is { } shape)
        {
            if (init is null) return; // assigned later
            WriteVariable(local, "", shape, Converted(shape, Composite(init, env), init), env);
            return;
        }
        if (local.Type.SpecialType == SpecialType.System_String)
        {
            DeclareString(declarator, init, env);
            return;
        }
        if (local.Type.TypeKind == TypeKind.Delegate)
        {
            DeclareLambda(declarator, init);
            return;
        }
        if (!IsArrayLike(local.Type))
        {
            throw UnsupportedExpr(declarator, $"A local of type '{local.Type.ToDisplayString()}'",
                "declare locals as double, int or bool, or as a double array or span of constant size");
        }
        if (init is null) throw UnsupportedExpr(declarator, $"The array local '{local.Name}' without an initializer",
            $"create it where it is declared, e.g. Span<double> {local.Name} = stackalloc double[N] with a const N");
        env.Arrays[local] = ArrayInitializer(local, init, env);
    }

    private ArrayBinding ArrayInitializer(ILocalSymbol local, IOperation init, Env env)
    {
        IOperation value = init is IConversionOperation conv && IsArrayLike(conv.Type) ? conv.Operand : init;
        switch (value)
        {
            case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation:
                return Array(value, env); // another name for the same elements
            case IArrayElementReferenceOperation or IImplicitIndexerReferenceOperation or IInvocationOperation when Slice(value, env) is { } slice:
                return slice; // a view of a parameter's elements
            case IArrayCreationOperation creation:
            {
                int[] sizes = creation.DimensionSizes.Select(s => Size(s, env)).ToArray();
                var array = NewLocal(local, sizes[0], sizes.Length > 1 ? sizes[1] : -1);
                if (creation.Initializer is { } initializer) FillFrom(array, Flatten(initializer).ToList(), env, creation);
                return ArrayBinding.ForLocal(array);
            }
            case ICollectionExpressionOperation collection:
            {
                var elements = collection.Elements.ToList();
                if (elements.Any(e => e is ISpreadOperation)) throw UnsupportedExpr(collection, $"The spread element in '{Shorten(collection.Syntax.ToString())}'",
                    "list the elements one by one ([a[0], a[1], b]), or fill a local array in a for loop with a constant bound");
                var array = NewLocal(local, _b.Const(elements.Count, ValType.Int), -1);
                FillFrom(array, elements, env, collection);
                return ArrayBinding.ForLocal(array);
            }
        }
        // stackalloc has no IOperation of its own: read its size and initializer from the syntax.
        SyntaxNode syntax = value.Syntax;
        SemanticModel model = _compilation.GetSemanticModel(syntax.SyntaxTree);
        switch (syntax)
        {
            case StackAllocArrayCreationExpressionSyntax stackAlloc when stackAlloc.Type is ArrayTypeSyntax arrayType:
            {
                ExpressionSyntax? sizeSyntax = arrayType.RankSpecifiers[0].Sizes.FirstOrDefault();
                List<IOperation> elements = stackAlloc.Initializer?.Expressions.Select(e => OperationOf(model, e, value)).ToList() ?? new List<IOperation>();
                int size = sizeSyntax is null or OmittedArraySizeExpressionSyntax ? _b.Const(elements.Count, ValType.Int) : Size(OperationOf(model, sizeSyntax, value), env);
                var array = NewLocal(local, size, -1);
                FillFrom(array, elements, env, value);
                return ArrayBinding.ForLocal(array);
            }
            case ImplicitStackAllocArrayCreationExpressionSyntax implicitStackalloc:
            {
                List<IOperation> elements = implicitStackalloc.Initializer.Expressions.Select(e => OperationOf(model, e, value)).ToList();
                var array = NewLocal(local, _b.Const(elements.Count, ValType.Int), -1);
                FillFrom(array, elements, env, value);
                return ArrayBinding.ForLocal(array);
            }
        }
        throw SliceOrFromEnd(init) ?? UnsupportedExpr(init, $"The array initializer '{Shorten(init.Syntax.ToString())}'",
            "create a local array with stackalloc double[N], new double[N], new double[N, M] or [a, b, c] with constant N, M, or name a parameter or another local array");
    }

    /// <summary>The operation of an expression inside a stackalloc; C# has no operation for parentheses, so look inside them.</summary>
    private IOperation OperationOf(SemanticModel model, ExpressionSyntax expression, IOperation where)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized) expression = parenthesized.Expression;
        return model.GetOperation(expression, _ct) ?? throw UnsupportedExpr(where, $"The stackalloc element '{Shorten(expression.ToString())}'", "use double and int expressions as elements");
    }

    /// <summary>A local array of constant size up to this many elements is scalarised; a larger one is memory.</summary>
    public const int ScalarisedElements = 256;

    /// <summary>
    /// A new local array of the given length values: scalarised when they are constants (and no loop indexes it at
    /// run time), memory otherwise.
    /// </summary>
    private LocalArray NewLocal(ILocalSymbol symbol, int lengthValue0, int lengthValue1)
    {
        bool constant = _b.TryGetConst(lengthValue0, out double n0) & (lengthValue1 < 0 | _b.TryGetConst(lengthValue1, out double n1));
        if (constant && n0 * System.Math.Max(1, n1) <= ScalarisedElements && !_memoryArrays.Contains(symbol)) return Scalarised(symbol, (int)n0, lengthValue1 < 0 ? -1 : (int)n1);
        int memory = _b.NewId();
        _b.AddEffect(new NewArray(memory, lengthValue0, lengthValue1, symbol.Name));
        return LocalArray.InMemory(symbol.Name, memory, lengthValue0, lengthValue1);
    }

    private LocalArray Scalarised(ILocalSymbol symbol, int length0, int length1)
    {
        string name = symbol.Name;
        int zero = _b.Const(0.0);
        int count = length1 < 0 ? length0 : length0 * length1;
        if (count > MaxInstructions) throw new LoweringException(DiagnosticDescriptors.MethodTooLarge, null, _rootName, MaxInstructions.ToString());
        return new LocalArray(name, length0, length1, Enumerable.Repeat(zero, count).ToArray()) { Symbol = symbol };
    }

    private void FillFrom(LocalArray array, IReadOnlyList<IOperation> elements, Env env, IOperation where)
    {
        if (elements.Count == 0) return;
        if (array.IsMemory)
        {
            if (array.LengthValue1 >= 0 || !_b.TryGetConst(array.LengthValue0, out double n) || n != elements.Count)
            {
                throw UnsupportedExpr(where, $"The initializer of '{array.Name}', with a size that is not its number of elements,", "give exactly as many elements as the array's size, or leave the initializer out");
            }
            for (int k = 0; k < elements.Count; k++)
            {
                int v = Scalar(elements[k], env);
                if (_b.TypeOf(v) == ValType.Int) v = _b.Unary(Op.IntToDouble, v);
                _b.AddEffect(new StoreLocal(array.Memory, _b.Const(k, ValType.Int), -1, v));
            }
            return;
        }
        if (elements.Count != array.Slots.Length) throw UnsupportedExpr(where, $"The initializer of '{array.Name}', with {elements.Count} elements for {array.Slots.Length} slots,",
            "give exactly as many elements as the array's constant size, or leave the initializer out");
        for (int k = 0; k < elements.Count; k++)
        {
            int v = Scalar(elements[k], env);
            if (_b.TypeOf(v) == ValType.Int) v = _b.Unary(Op.IntToDouble, v);
            array.Slots[k] = v;
            _b.NameValue(v, ElementName(array, k));
        }
    }

    private static IEnumerable<IOperation> Flatten(IArrayInitializerOperation initializer)
    {
        foreach (IOperation e in initializer.ElementValues)
        {
            if (e is IArrayInitializerOperation nested)
            {
                foreach (IOperation inner in Flatten(nested)) yield return inner;
            }
            else
            {
                yield return e;
            }
        }
    }

    /// <summary>A local array's length: any int value (a negative constant is an error here, at run time C# throws).</summary>
    private int Size(IOperation size, Env env)
    {
        int v = Scalar(size, env);
        if (_b.TryGetConst(v, out double n) && n < 0)
        {
            throw new LoweringException(DiagnosticDescriptors.IndexNotConstant, size.Syntax.GetLocation(), size.Syntax.ToString(),
                "sizes a local array and is negative");
        }
        return v;
    }
}
