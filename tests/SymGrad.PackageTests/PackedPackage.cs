namespace SymGrad.PackageTests;

/// <summary>
/// Packs src/SymGrad once per test run into a fresh folder feed under the system temp folder. The version is
/// unique (<c>0.1.0-test.&lt;ticks&gt;</c>) so no NuGet cache can ever serve an older build of the package, and the
/// build goes to its own artifacts folder so it neither reads nor disturbs the repository's bin/ and obj/.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    /// <summary>The temp folder holding the feed, the pack's build output and the consumer projects.</summary>
    public string Root { get; }

    /// <summary>The folder feed that holds the one <c>.nupkg</c>.</summary>
    public string Feed { get; }

    /// <summary>The version the package was packed with.</summary>
    public string Version { get; }

    /// <summary>The path of the packed <c>.nupkg</c>.</summary>
    public string NupkgPath { get; }

    /// <summary>How long the pack took (reported, never asserted).</summary>
    public TimeSpan PackTime { get; }

    public PackedPackage()
    {
        Version = $"0.1.0-test.{DateTime.UtcNow.Ticks}";
        Root = Path.Combine(Path.GetTempPath(), $"symgrad-package-{Guid.NewGuid():N}");
        Feed = Path.Combine(Root, "feed");
        Directory.CreateDirectory(Feed);

        string repo = RepositoryRoot.Find();
        var started = DateTime.UtcNow;
        // Run from the repository root so its global.json and Directory.*.props apply, as for a maintainer.
        Dotnet.RunChecked(repo, null,
            "pack", Path.Combine("src", "SymGrad"), "-c", "Release", "-o", Feed,
            "--artifacts-path", Path.Combine(Root, "artifacts"), $"-p:Version={Version}");
        PackTime = DateTime.UtcNow - started;

        NupkgPath = Path.Combine(Feed, $"SymGrad.{Version}.nupkg");
        Assert.True(File.Exists(NupkgPath),
            $"expected {NupkgPath}; the feed holds: {string.Join(", ", Directory.GetFiles(Feed))}");
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
