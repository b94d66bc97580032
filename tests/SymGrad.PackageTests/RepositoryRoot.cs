namespace SymGrad.PackageTests;

/// <summary>Finds the repository this test was built from.</summary>
public static class RepositoryRoot
{
    /// <summary>The nearest folder above the test's output that holds SymGrad.sln.</summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SymGrad.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no SymGrad.sln above {AppContext.BaseDirectory}");
    }
}
