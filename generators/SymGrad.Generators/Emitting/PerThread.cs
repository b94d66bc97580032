namespace SymGrad.Generators.Emitting;

/// <summary>
/// The one way generated code keeps a buffer per thread: a <c>ThreadLocal</c> field, never <c>[ThreadStatic]</c>.
/// A thread-static field in an assembly loaded into a collectible <c>AssemblyLoadContext</c> (plugins, scripting,
/// test harnesses) can crash the runtime when a thread exits while the context unloads (dotnet/runtime#110837; seen
/// here as a segfault in libcoreclr on a thread-pool worker). <c>ThreadLocal</c> of a framework array type keeps
/// its per-thread slots in the framework's own instantiation, which never unloads.
/// </summary>
internal static class PerThread
{
    /// <summary>Declares <paramref name="name"/>, read as <c>name.Value</c> (null on a thread's first call).</summary>
    public static void Declare(CodeWriter w, string summary, string type, string name)
    {
        w.Line($"/// <summary>{summary}</summary>");
        w.Line($"private static readonly global::System.Threading.ThreadLocal<{type}> {name} = new();");
    }
}
