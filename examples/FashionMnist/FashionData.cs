namespace FashionMnist;

/// <summary>
/// One split of Fashion-MNIST: each image as a row of <see cref="Images"/> (28 × 28 = 784 pixels, row by row, scaled
/// to [0, 1] by / 255), its class 0..9 in <see cref="Labels"/>, and the raw bytes for the pictures.
/// </summary>
public sealed class FashionSplit
{
    /// <summary>The split of the first <paramref name="count"/> images and labels (all by default).</summary>
    public FashionSplit(IdxImages images, byte[] labels, int count = -1)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != images.Count)
            throw new InvalidDataException($"{images.Count} images but {labels.Length} labels");
        int n = count < 0 ? images.Count : Math.Min(count, images.Count), p = images.PixelsPerImage;
        Raw = n == images.Count ? images : new IdxImages(n, images.Rows, images.Columns, images.Pixels[..(n * p)]);
        Images = new double[n, p];
        for (int s = 0; s < n; s++)
        {
            for (int k = 0; k < p; k++) Images[s, k] = images.Pixels[s * p + k] / 255.0;
        }
        Labels = new int[n];
        for (int s = 0; s < n; s++)
        {
            if (labels[s] >= FashionData.Classes.Length) throw new InvalidDataException($"label {labels[s]} of image {s} is not a class 0..9");
            Labels[s] = labels[s];
        }
    }

    public IdxImages Raw { get; }
    public double[,] Images { get; }
    public int[] Labels { get; }
    public int Count => Labels.Length;

}

/// <summary>Fashion-MNIST's four files in one folder, by default where Debian's <c>dataset-fashion-mnist</c> puts them.</summary>
public static class FashionData
{
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";
    public const string DebianPackage = "dataset-fashion-mnist";
    public const string InstallCommand = "sudo apt-get install " + DebianPackage;

    public const string TrainImages = "train-images-idx3-ubyte.gz", TrainLabels = "train-labels-idx1-ubyte.gz",
                        TestImages = "t10k-images-idx3-ubyte.gz", TestLabels = "t10k-labels-idx1-ubyte.gz";

    /// <summary>The ten classes, in label order (Zalando's names).</summary>
    public static readonly string[] Classes =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static readonly string[] Files = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>The files of the four that <paramref name="folder"/> lacks (a plain, ungzipped copy counts too).</summary>
    public static List<string> Missing(string folder) =>
        Files.Where(f => Find(folder, f) is null).ToList();

    /// <summary>Whether all four files are in <paramref name="folder"/>.</summary>
    public static bool IsPresent(string folder = DefaultFolder) => Missing(folder).Count == 0;

    /// <summary>What to tell a user whose <paramref name="folder"/> lacks some of the files.</summary>
    public static string HowToGet(string folder)
    {
        List<string> missing = Missing(folder);
        return $"Fashion-MNIST was not found in {folder} (missing: {string.Join(", ", missing)}).\n" +
               $"On Debian or Ubuntu, install it with:\n\n    {InstallCommand}\n\n" +
               $"which puts the four IDX files under {DefaultFolder}/. Or download {string.Join(", ", Files)}\n" +
               "from https://github.com/zalandoresearch/fashion-mnist (data/fashion) into a folder and pass that folder\n" +
               "as the first argument.";
    }

    /// <summary>The first <paramref name="count"/> training images (all 60,000 by default).</summary>
    public static FashionSplit LoadTrain(string folder = DefaultFolder, int count = -1) => Load(folder, TrainImages, TrainLabels, count);

    /// <summary>The first <paramref name="count"/> test images (all 10,000 by default).</summary>
    public static FashionSplit LoadTest(string folder = DefaultFolder, int count = -1) => Load(folder, TestImages, TestLabels, count);

    private static FashionSplit Load(string folder, string images, string labels, int count)
    {
        string imagesPath = Find(folder, images) ?? throw new FileNotFoundException(HowToGet(folder), Path.Combine(folder, images));
        string labelsPath = Find(folder, labels) ?? throw new FileNotFoundException(HowToGet(folder), Path.Combine(folder, labels));
        return new FashionSplit(IdxReader.ReadImages(imagesPath), IdxReader.ReadLabels(labelsPath), count);
    }

    /// <summary><c>folder/name</c>, or the same without <c>.gz</c> (a decompressed copy), or null.</summary>
    private static string? Find(string folder, string name)
    {
        string gz = Path.Combine(folder, name), plain = Path.Combine(folder, Path.GetFileNameWithoutExtension(name));
        return File.Exists(gz) ? gz : File.Exists(plain) ? plain : null;
    }
}
