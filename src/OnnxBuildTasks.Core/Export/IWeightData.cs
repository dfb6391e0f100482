namespace OnnxBuildTasks.Export;

/// <summary>
/// The bytes of one initializer, produced on demand: the writer asks for them once, while it streams
/// the ONNX file, so no second copy of a model's weights is ever held in memory.
/// </summary>
public interface IWeightData
{
    /// <summary>Exact number of bytes <see cref="WriteTo"/> writes.</summary>
    long Length { get; }

    /// <summary>Writes the little-endian element bytes, row-major.</summary>
    void WriteTo(Stream destination);
}
