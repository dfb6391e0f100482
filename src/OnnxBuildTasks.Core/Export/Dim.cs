namespace OnnxBuildTasks.Export;

/// <summary>One dimension of a graph input or output: a fixed size or a symbolic name such as <c>batch_size</c>.</summary>
public readonly record struct Dim
{
    private Dim(long? value, string? symbol) { Value = value; Symbol = symbol; }

    /// <summary>The fixed size, or null for a symbolic dimension.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name, or null for a fixed dimension.</summary>
    public string? Symbol { get; }

    public static implicit operator Dim(long value) => new(value, null);

    public static implicit operator Dim(string symbol) => new(null, symbol);

    public override string ToString() => Symbol ?? Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
