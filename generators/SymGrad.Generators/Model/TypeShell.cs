namespace SymGrad.Generators.Model;

/// <summary>One containing type of a method, outermost first: <c>partial {Keyword} {Name}{TypeParameters}</c>.</summary>
internal sealed record TypeDecl(string Keyword, string Name, string TypeParameters);

/// <summary>Where generated members go: the namespace and the containing types' declarations, outermost first.</summary>
internal sealed record TypeShell(string Namespace, EquatableArray<TypeDecl> Types);
