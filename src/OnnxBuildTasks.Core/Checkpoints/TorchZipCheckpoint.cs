using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Checkpoints;

/// <summary>A torch.save zip archive (pytorch_model.bin). Reader lands in the next commit.</summary>
internal static class TorchZipCheckpoint
{
    public static IWeightFile Open(string path) =>
        throw new OnnxBuildException(ErrorCodes.TorchArchiveInvalid, $"Reading '{path}' (pytorch_model.bin) is not implemented yet on this branch.");
}
