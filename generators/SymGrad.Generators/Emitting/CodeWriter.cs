using System.Text;

namespace SymGrad.Generators.Emitting;

/// <summary>Writes C# text line by line with the current indentation (four spaces a level).</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public void Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', _indent * 4).Append(line);
        _text.Append('\n');
    }

    public void Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
    }

    /// <summary>Opens a bare block (a scope of its own).</summary>
    public void OpenBlock()
    {
        Line("{");
        _indent++;
    }

    public void Close(string suffix = "")
    {
        _indent--;
        Line("}" + suffix);
    }

    /// <summary>Writes pre-rendered lines, each indented to the current level.</summary>
    public void Lines(string text)
    {
        foreach (string line in text.TrimEnd('\n').Split('\n')) Line(line);
    }

    public override string ToString() => _text.ToString();
}
