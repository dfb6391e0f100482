using Google.Protobuf;
using Microsoft.Build.Utilities;
using OnnxBuildTasks.MSBuild;
using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Tests;

namespace OnnxBuildTasks.MSBuild.Tests;

public class OnnxExternalDataFilesTests
{
    private static string Reference => Fixtures.Path("hf-tiny", "bert-token-classification", "reference.onnx");

    [Fact]
    public void AModelSavedWithItsWeightsInAnotherFileNamesThatFile()
    {
        using var dir = Fixtures.NewTempDir();
        string model = dir.Combine("model.onnx");
        OnnxModelFile.Save(OnnxModelFile.Load(Reference), model, new OnnxSaveOptions { ForceExternalData = true, ExternalDataFileName = "weights.bin" });

        Assert.Equal(["weights.bin"], OnnxExternalDataScanner.Locations(model));
        Assert.Empty(OnnxExternalDataScanner.Locations(Reference));   // weights inline: nothing to watch
    }

    [Fact]
    public void OneFilePerTensorAndSparseInitializersAreAllFound()
    {
        using var dir = Fixtures.NewTempDir();
        var model = new ModelProto { IrVersion = 8, Graph = new GraphProto { Name = "g" } };
        model.Graph.Initializer.Add(External("w1", "layer.0.weight"));
        model.Graph.Initializer.Add(new TensorProto { Name = "inline", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 2 }, RawData = ByteString.CopyFrom(new byte[8]) });
        model.Graph.Initializer.Add(External("w2", "sub/layer.1.weight"));
        model.Graph.Initializer.Add(External("w3", "layer.0.weight"));   // named twice, listed once
        model.Graph.SparseInitializer.Add(new SparseTensorProto { Values = External("sv", "sparse.values"), Indices = External("si", "sparse.indices"), Dims = { 4 } });
        var notExternal = External("w4", "ignored.bin");
        notExternal.DataLocation = TensorProto.Types.DataLocation.Default;   // a location without EXTERNAL is not used
        model.Graph.Initializer.Add(notExternal);
        string path = dir.Combine("model.onnx");
        File.WriteAllBytes(path, model.ToByteArray());

        Assert.Equal(["layer.0.weight", "sub/layer.1.weight", "sparse.values", "sparse.indices"], OnnxExternalDataScanner.Locations(path));
    }

    [Fact]
    public void TruncatedAndGarbageFilesNeverThrowAndGiveWhatCameBefore()
    {
        using var dir = Fixtures.NewTempDir();
        string model = dir.Combine("model.onnx");
        OnnxModelFile.Save(OnnxModelFile.Load(Reference), model, new OnnxSaveOptions { ForceExternalData = true, ExternalDataFileName = "weights.bin" });
        var bytes = File.ReadAllBytes(model);
        string cut = dir.Combine("cut.onnx");
        var random = new Random(5);
        for (int i = 0; i < 300; i++)
        {
            int length = i < 40 ? i : random.Next(bytes.Length);
            File.WriteAllBytes(cut, bytes[..length]);
            var found = OnnxExternalDataScanner.Locations(cut);
            Assert.True(found.Count == 0 || found.SequenceEqual(["weights.bin"]), $"cut at {length}: {string.Join(",", found)}");
        }
        var garbage = new byte[4096];
        random.NextBytes(garbage);
        File.WriteAllBytes(cut, garbage);
        Assert.Empty(OnnxExternalDataScanner.Locations(cut));
        Assert.Empty(OnnxExternalDataScanner.Locations(dir.Combine("missing.onnx")));
    }

    [Fact]
    public void TheTaskListsOtherFilesWithTheirItemsKeyAndLeavesOutTheGlobbedAndUnsafeOnes()
    {
        using var dir = Fixtures.NewTempDir();
        var model = new ModelProto { IrVersion = 8, Graph = new GraphProto { Name = "g" } };
        foreach (var location in new[] { "weights.bin", "model.onnx_data", "../outside.bin", "/abs.bin" })
            model.Graph.Initializer.Add(External(location, location));
        string path = dir.Combine("model.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        var item = new TaskItem(path);
        item.SetMetadata("_OnnxKey", "abc123");
        var other = new TaskItem(dir.Combine("folder"));   // not an .onnx file: skipped
        var task = new OnnxExternalDataFiles { BuildEngine = new MockBuildEngine(), Models = [item, other] };

        Assert.True(task.Execute());
        var file = Assert.Single(task.Files);
        Assert.Equal(Path.GetFullPath(dir.Combine("weights.bin")), file.ItemSpec);
        Assert.Equal("abc123", file.GetMetadata("_OnnxKey"));
    }

    private static TensorProto External(string name, string location) => new()
    {
        Name = name,
        DataType = (int)TensorProto.Types.DataType.Float,
        Dims = { 2 },
        DataLocation = TensorProto.Types.DataLocation.External,
        ExternalData = { new StringStringEntryProto { Key = "location", Value = location }, new StringStringEntryProto { Key = "length", Value = "8" } },
    };
}
