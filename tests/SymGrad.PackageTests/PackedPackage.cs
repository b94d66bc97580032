namespace SymGrad.PackageTests;

/// <summary>
/// Packs src/SymGrad once per test run exactly as the README tells a user to, <c>dotnet pack src/SymGrad -c Release
/// -o &lt;feed&gt;</c>, in a copy of the repository's sources under the system temp folder: so the pack neither reads
/// nor disturbs the repository's bin/ and obj/, and a stale build there cannot hide a broken pack. Consumers restore
/// into a private package cache, so no NuGet cache can serve an older build of the same version.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    /// <summary>The temp folder holding the copy, the feed and the consumer projects.</summary>
    public string Root { get; }

    /// <summary>The copy of the repository's sources that was packed.</summary>
    public string Sources { get; }

    /// <summary>The folder feed that holds the one <c>.nupkg</c>.</summary>
    public string Feed { get; }

    /// <summary>The version the package was packed with (the project's own).</summary>
    public string Version { get; }

    /// <summary>The path of the packed <c>.nupkg</c>.</summary>
    public string NupkgPath { get; }

    /// <summary>How long the pack took (reported, never asserted).</summary>
    public TimeSpan PackTime { get; }

    public PackedPackage()
    {
        Root = Path.Combine(Path.GetTempPath(), $"symgrad-package-{Guid.NewGuid():N}");
        Sources = Path.Combine(Root, "repo");
        Feed = Path.Combine(Root, "feed");
        Directory.CreateDirectory(Feed);
        CopySources(RepositoryRoot.Find(), Sources);

        var started = DateTime.UtcNow;
        // Run from the copy's root so its global.json and Directory.*.props apply, as for a user of the README.
        Dotnet.RunChecked(Sources, null, "pack", Path.Combine("src", "SymGrad"), "-c", "Release", "-o", Feed);
        PackTime = DateTime.UtcNow - started;

        string[] packed = Directory.GetFiles(Feed, "SymGrad.*.nupkg");
        Assert.True(packed.Length == 1, $"expected one SymGrad.*.nupkg; the feed holds: {string.Join(", ", Directory.GetFiles(Feed))}");
        NupkgPath = packed[0];
        Version = Path.GetFileNameWithoutExtension(NupkgPath)["SymGrad.".Length..];
    }

    /// <summary>What packing needs, as a fresh clone has it: the root's build files, src/ and generators/, without bin/ and obj/.</summary>
    private static void CopySources(string repo, string to)
    {
        foreach (string file in new[] { "global.json", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            Directory.CreateDirectory(to);
            File.Copy(Path.Combine(repo, file), Path.Combine(to, file));
        }
        foreach (string folder in new[] { "src", "generators" }) CopyTree(Path.Combine(repo, folder), Path.Combine(to, folder));
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (string dir in Directory.GetDirectories(from))
        {
            string name = Path.GetFileName(dir);
            if (name is "bin" or "obj") continue;
            CopyTree(dir, Path.Combine(to, name));
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { } // best effort: a leftover temp folder is harmless
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Shares one <see cref="PackedPackage"/> between the layout and the consumer tests.</summary>
[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackedPackage>
{
    public const string Name = "SymGrad package";
}
