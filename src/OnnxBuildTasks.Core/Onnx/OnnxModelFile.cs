using Google.Protobuf;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Onnx;

/// <summary>
/// Loads and saves .onnx files, including tensors stored in external data files
/// (<c>location</c>/<c>offset</c>/<c>length</c> relative to the model's folder).
/// </summary>
public static class OnnxModelFile
{
    // Each subgraph level costs three message levels (graph, node, attribute); 400 allows deep If/Loop nests.
    private const int RecursionLimit = 400;

    /// <summary>
    /// Parses an .onnx file. Externally stored tensors stay references (their bytes are read by
    /// <see cref="ReadTensorBytes"/> or copied by <see cref="Save"/>); their locations are checked to be
    /// relative paths inside the model's folder.
    /// </summary>
    /// <exception cref="OnnxBuildException">
    /// <see cref="ErrorCodes.ModelFileInvalid"/> for a missing, oversized or unparsable file;
    /// <see cref="ErrorCodes.ExternalDataLocationUnsafe"/> / <see cref="ErrorCodes.ExternalDataMalformed"/> for bad external references.
    /// </exception>
    public static ModelProto Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new OnnxBuildException(ErrorCodes.ModelFileInvalid, $"ONNX model '{path}' does not exist.");
        long size = new FileInfo(fullPath).Length;
        if (size > OnnxSaveOptions.ProtobufLimit)
            throw new OnnxBuildException(ErrorCodes.ModelFileInvalid,
                $"'{path}' is {size} bytes, over the 2 GB protobuf limit, so it cannot be an ONNX model; large models keep their weights in an external data file.");
        ModelProto model;
        try
        {
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var input = CodedInputStream.CreateWithLimits(stream, int.MaxValue, RecursionLimit);
            model = ModelProto.Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxBuildException(ErrorCodes.ModelFileInvalid, $"'{path}' is not a valid ONNX model ({e.Message}); re-export or re-download it.", e);
        }
        catch (IOException e)
        {
            throw new OnnxBuildException(ErrorCodes.ModelFileInvalid, $"'{path}' could not be read: {e.Message}", e);
        }
        if (model.Graph is null)
            throw new OnnxBuildException(ErrorCodes.ModelFileInvalid, $"'{path}' is not an ONNX model: it has no graph.");

        var folder = Path.GetDirectoryName(fullPath)!;
        foreach (var (tensor, _) in ModelTensors.All(model))
        {
            if (!ExternalData.IsExternal(tensor)) continue;
            var reference = ExternalData.GetReference(tensor);
            ExternalData.ResolvePath(tensor, reference.Location, folder);
            ExternalData.RecordSourceFolder(tensor, folder);
        }
        return model;
    }

    /// <summary>
    /// The tensor's data as raw little-endian bytes: inline raw_data (not copied), the external range
    /// read from the file under <paramref name="modelDirectory"/>, or the typed fields (float_data, ...) packed.
    /// </summary>
    /// <exception cref="OnnxBuildException">The external file is missing, too short or unsafe, or the data does not match the shape.</exception>
    public static ReadOnlyMemory<byte> ReadTensorBytes(TensorProto tensor, string modelDirectory)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (ExternalData.IsExternal(tensor))
        {
            ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
            var range = ExternalRange.Resolve(tensor, modelDirectory);
            if (range.Length > Array.MaxLength)
                throw new OnnxBuildException(ErrorCodes.ModelFileInvalid,
                    $"Tensor '{tensor.Name}' is {range.Length} bytes, too large to read into one buffer; stream it instead.");
            var bytes = new byte[range.Length];
            using var file = new FileStream(range.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            file.Seek(range.Offset, SeekOrigin.Begin);
            file.ReadExactly(bytes);
            return bytes;
        }
        if (!tensor.RawData.IsEmpty)
            return tensor.RawData.Memory;
        return TensorTypedData.ToRawBytes(tensor);
    }

    /// <summary>
    /// Writes the model to <paramref name="path"/> atomically (temporary files renamed into place, the
    /// external data file first) with deterministic bytes. Initializers go to an external data file when
    /// <see cref="OnnxSaveOptions.ForceExternalData"/> asks, when the model already had external tensors, or
    /// when the model would exceed the 2 GB protobuf limit; externally stored tensors of a loaded model are
    /// streamed across, and <see cref="OnnxSaveOptions.Payloads"/> are streamed in without being held in memory.
    /// </summary>
    /// <exception cref="OnnxBuildException">
    /// <see cref="ErrorCodes.ModelWriteFailed"/>, <see cref="ErrorCodes.TensorPayloadInvalid"/>, or an external data error.
    /// </exception>
    public static void Save(ModelProto model, string path, OnnxSaveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ModelFileWriter.Save(model, path, options ?? new OnnxSaveOptions());
    }
}
