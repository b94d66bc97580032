using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace SymGrad.PackageTests;

/// <summary>The .nupkg holds what a consumer needs, where NuGet and the compiler look for it.</summary>
[Collection(PackageCollection.Name)]
public sealed class PackageLayoutTests(PackedPackage package, ITestOutputHelper output)
{
    [Fact]
    public void Package_has_runtime_docs_generator_readme_and_no_dependency_on_the_generator()
    {
        output.WriteLine($"packed {Path.GetFileName(package.NupkgPath)} in {package.PackTime.TotalSeconds:F1} s");
        using var zip = ZipFile.OpenRead(package.NupkgPath);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        string listing = string.Join("\n", entries.Order());

        foreach (string expected in new[]
                 {
                     "lib/net10.0/SymGrad.dll",
                     "lib/net10.0/SymGrad.xml",
                     "analyzers/dotnet/cs/SymGrad.Generators.dll",
                 })
            Assert.True(entries.Contains(expected), $"missing {expected}; the package holds:\n{listing}");
        // The generator is compile-time only: it must not land where the consumer's program would load it.
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generators"));

        // The analyzer is the real generator, not an empty or mislabelled file.
        Assert.Contains("DifferentiableGenerator", TypeNames(zip, "analyzers/dotnet/cs/SymGrad.Generators.dll"));
        Assert.Contains("DifferentiableAttribute", TypeNames(zip, "lib/net10.0/SymGrad.dll"));
        // IntelliSense text for the public API ships beside the runtime.
        Assert.Contains("T:SymGrad.DifferentiableAttribute", ReadText(zip, "lib/net10.0/SymGrad.xml"));

        var nuspec = XDocument.Parse(ReadText(zip, "SymGrad.nuspec"));
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        string? Meta(string name) => metadata.Element(ns + name)?.Value;

        Assert.Equal("SymGrad", Meta("id"));
        Assert.Equal(package.Version, Meta("version"));
        var license = metadata.Element(ns + "license");
        Assert.Equal("expression", license?.Attribute("type")?.Value);
        Assert.Equal("MIT", license?.Value);
        Assert.False(string.IsNullOrWhiteSpace(Meta("description")));
        Assert.Contains("autodiff", (Meta("tags") ?? "").Split(' '));

        string? readme = Meta("readme");
        Assert.False(string.IsNullOrEmpty(readme), "the nuspec names no readme");
        Assert.True(entries.Contains(readme!), $"the nuspec's readme {readme} is not in the package:\n{listing}");
        Assert.Contains("[Differentiable]", ReadText(zip, readme!));

        // Neither the generator nor its Roslyn reference may become a package dependency of the consumer.
        var dependencies = nuspec.Descendants(ns + "dependency").Select(d => d.Attribute("id")?.Value ?? "").ToList();
        Assert.DoesNotContain(dependencies, id => id.Contains("Generators", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(dependencies, id => id.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// <c>--artifacts-path</c> (one output folder for the whole build) packs the same files: the generator's dll is
    /// found where that layout puts it, not at a spelled-out bin/ path.
    /// </summary>
    [Fact]
    public void Packing_with_an_artifacts_path_gives_the_same_files()
    {
        string feed = Path.Combine(package.Root, "feed-artifacts");
        Dotnet.RunChecked(package.Sources, null, "pack", Path.Combine("src", "SymGrad"), "-c", "Release", "-o", feed,
            "--artifacts-path", Path.Combine(package.Root, "artifacts"));

        string nupkg = Path.Combine(feed, Path.GetFileName(package.NupkgPath));
        Assert.True(File.Exists(nupkg), $"expected {nupkg}; the feed holds: {string.Join(", ", Directory.GetFiles(feed))}");
        Assert.Equal(Entries(package.NupkgPath), Entries(nupkg));
        using var zip = ZipFile.OpenRead(nupkg);
        Assert.Contains("DifferentiableGenerator", TypeNames(zip, "analyzers/dotnet/cs/SymGrad.Generators.dll"));
    }

    /// <summary>The package's files, less the per-pack metadata (.rels, .psmdcp) whose names are random.</summary>
    private static List<string> Entries(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        return zip.Entries.Select(e => e.FullName).Where(n => !n.StartsWith("package/", StringComparison.Ordinal) && !n.StartsWith("_rels/", StringComparison.Ordinal)).Order().ToList();
    }

    private static string ReadText(ZipArchive zip, string entry)
    {
        using var reader = new StreamReader(zip.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }

    private static List<string> TypeNames(ZipArchive zip, string entry)
    {
        using var bytes = new MemoryStream();
        using (var stream = zip.GetEntry(entry)!.Open()) stream.CopyTo(bytes);
        bytes.Position = 0;
        using var pe = new PEReader(bytes);
        var md = pe.GetMetadataReader();
        return md.TypeDefinitions.Select(h => md.GetString(md.GetTypeDefinition(h).Name)).ToList();
    }
}
