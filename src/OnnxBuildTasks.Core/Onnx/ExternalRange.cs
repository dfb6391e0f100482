using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Onnx;

/// <summary>An external tensor's bytes resolved to a checked file range.</summary>
internal sealed record ExternalRange(string Path, long Offset, long Length)
{
    /// <summary>Resolves and checks the tensor's range: safe location, file present, long enough, length matching the shape.</summary>
    public static ExternalRange Resolve(TensorProto tensor, string modelDirectory)
    {
        var reference = ExternalData.GetReference(tensor);
        var path = ExternalData.ResolvePath(tensor, reference.Location, modelDirectory);
        if (!File.Exists(path))
            throw new OnnxBuildException(ErrorCodes.ExternalDataMissing,
                $"Tensor '{tensor.Name}' is stored in external data file '{reference.Location}', which does not exist in '{modelDirectory}'; copy the data file beside the model.");
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            // A link beside the model must not lead the reader out of the model's folder either.
            var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
            var root = System.IO.Path.GetFullPath(modelDirectory);
            if (!target.StartsWith(System.IO.Path.EndsInDirectorySeparator(root) ? root : root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw ExternalData.UnsafeLocation(tensor.Name, reference.Location, $"it is a link to '{target}', outside the model's folder");
            info = new FileInfo(target);
        }
        long fileLength = info.Length;
        long? expected = TensorDataLayout.ByteSize(tensor);
        if (reference.Length is long declared && expected is long size && declared != size)
            throw new OnnxBuildException(ErrorCodes.InitializerMalformed,
                $"Tensor '{tensor.Name}' declares {declared} external bytes but its shape and type need {size}; re-export the model.");
        long length = reference.Length ?? expected ?? Math.Max(0, fileLength - reference.Offset);
        if (reference.Offset + length > fileLength)
            throw new OnnxBuildException(ErrorCodes.ExternalDataTooShort,
                $"Tensor '{tensor.Name}' needs bytes [{reference.Offset}, {reference.Offset + length}) of '{reference.Location}', but the file has only {fileLength} bytes; the data file is truncated or belongs to another model.");
        return new ExternalRange(path, reference.Offset, length);
    }
}
