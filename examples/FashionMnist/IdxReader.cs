using System.Buffers.Binary;
using System.IO.Compression;

namespace FashionMnist;

/// <summary>The images of one IDX file: <see cref="Count"/> images of <see cref="Rows"/> × <see cref="Columns"/> bytes, row by row.</summary>
public sealed record IdxImages(int Count, int Rows, int Columns, byte[] Pixels)
{
    public int PixelsPerImage => Rows * Columns;
}

/// <summary>
/// A reader of the IDX format of LeCun's MNIST files, which Fashion-MNIST keeps: a big-endian header (two zero bytes,
/// the element type, the number of dimensions, then each dimension as a 32-bit integer) followed by the elements.
/// Only unsigned bytes (type 0x08) are read: 3 dimensions for images (magic 0x00000803), 1 for labels (0x00000801).
/// A file that starts with gzip's magic bytes (1f 8b) is decompressed on the fly, so <c>.gz</c> and plain files both read.
/// </summary>
public static class IdxReader
{
    public const int ImagesMagic = 0x00000803, LabelsMagic = 0x00000801;

    public static IdxImages ReadImages(string path)
    {
        using Stream stream = Open(path);
        int[] dims = ReadHeader(stream, ImagesMagic, path);
        byte[] pixels = ReadBody(stream, (long)dims[0] * dims[1] * dims[2], path);
        return new IdxImages(dims[0], dims[1], dims[2], pixels);
    }

    public static byte[] ReadLabels(string path)
    {
        using Stream stream = Open(path);
        int[] dims = ReadHeader(stream, LabelsMagic, path);
        return ReadBody(stream, dims[0], path);
    }

    /// <summary>The file, through a <see cref="GZipStream"/> when it starts with gzip's magic bytes.</summary>
    public static Stream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        int b0 = file.ReadByte(), b1 = file.ReadByte();
        file.Position = 0;
        if (b0 == 0x1f && b1 == 0x8b) return new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16);
        return file;
    }

    /// <summary>Reads the magic number and the dimensions; throws <see cref="InvalidDataException"/> on another magic.</summary>
    public static int[] ReadHeader(Stream stream, int expectedMagic, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> word = stackalloc byte[4];
        stream.ReadExactly(word);
        int magic = BinaryPrimitives.ReadInt32BigEndian(word);
        if (magic != expectedMagic)
            throw new InvalidDataException($"{name}: IDX magic 0x{magic:x8}, expected 0x{expectedMagic:x8} (unsigned bytes, {expectedMagic & 0xff} dimensions)");
        var dims = new int[expectedMagic & 0xff];
        for (int d = 0; d < dims.Length; d++)
        {
            stream.ReadExactly(word);
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(word);
            if (dims[d] < 0) throw new InvalidDataException($"{name}: dimension {d} is {dims[d]}");
        }
        return dims;
    }

    private static byte[] ReadBody(Stream stream, long length, string name)
    {
        if (length > Array.MaxLength) throw new InvalidDataException($"{name}: {length} elements is more than an array holds");
        var body = new byte[length];
        try
        {
            stream.ReadExactly(body);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{name}: the header promises {length} elements, the file ends before", e);
        }
        return body;
    }
}
