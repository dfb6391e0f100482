using Google.Protobuf;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Onnx;

namespace OnnxBuildTasks.Tests.Onnx;

public class ExternalDataTests
{
    private static readonly OnnxSaveOptions External = new() { ForceExternalData = true, ExternalDataThreshold = 100 };

    [Fact]
    public void ForcedExternalDataPutsLargeTensorsInAlignedRangesOfModelOnnxData()
    {
        using var dir = Fixtures.NewTempDir();
        var model = OnnxModelFile.Load(Fixtures.Path("hf-tiny", "bert-token-classification", "reference.onnx"));
        var path = dir.Combine("model.onnx");

        OnnxModelFile.Save(model, path, External);

        var saved = OnnxModelFile.Load(path);
        var dataLength = new FileInfo(dir.Combine("model.onnx_data")).Length;
        int external = 0;
        long externalBytes = 0;
        for (int i = 0; i < model.Graph.Initializer.Count; i++)
        {
            var original = model.Graph.Initializer[i];
            var written = saved.Graph.Initializer[i];
            Assert.Equal(original.Name, written.Name);
            Assert.Equal(original.RawData.Length >= 100, ExternalData.IsExternal(written));
            if (ExternalData.IsExternal(written))
            {
                external++;
                externalBytes += original.RawData.Length;
                var reference = ExternalData.GetReference(written);
                Assert.Equal("model.onnx_data", reference.Location);
                Assert.Equal(0, reference.Offset % 4096);
                Assert.Equal(original.RawData.Length, reference.Length);
                Assert.True(reference.Offset + reference.Length <= dataLength);
            }
            Assert.Equal(OnnxModelFile.ReadTensorBytes(original, dir.FullPath).ToArray(), OnnxModelFile.ReadTensorBytes(written, dir.FullPath).ToArray());
        }
        Assert.True(external > 5, $"only {external} tensors went external");
        // The model shrank by the bytes that moved out (less ~100 bytes of references per tensor).
        var originalSize = new FileInfo(Fixtures.Path("hf-tiny", "bert-token-classification", "reference.onnx")).Length;
        Assert.True(new FileInfo(path).Length < originalSize - externalBytes + 100 * external);
    }

    [Fact]
    public void SavingAnExternalModelElsewhereCopiesItsDataAndIsByteStable()
    {
        using var dir = Fixtures.NewTempDir();
        var model = OnnxModelFile.Load(Fixtures.Path("hf-tiny", "distilbert-fill-mask", "reference.onnx"));
        OnnxModelFile.Save(model, dir.Combine("a", "model.onnx"), External);

        // Loaded from a/, saved to b/ with a different file name: the bytes are streamed across.
        OnnxModelFile.Save(OnnxModelFile.Load(dir.Combine("a", "model.onnx")), dir.Combine("b", "model.onnx"));
        OnnxModelFile.Save(OnnxModelFile.Load(dir.Combine("b", "model.onnx")), dir.Combine("c", "model.onnx"));

        Assert.Equal(File.ReadAllBytes(dir.Combine("a", "model.onnx")), File.ReadAllBytes(dir.Combine("b", "model.onnx")));
        Assert.Equal(File.ReadAllBytes(dir.Combine("a", "model.onnx_data")), File.ReadAllBytes(dir.Combine("b", "model.onnx_data")));
        Assert.Equal(File.ReadAllBytes(dir.Combine("b", "model.onnx_data")), File.ReadAllBytes(dir.Combine("c", "model.onnx_data")));

        // Removing the source folder proves b/ holds its own copy.
        Directory.Delete(dir.Combine("a"), recursive: true);
        var b = OnnxModelFile.Load(dir.Combine("b", "model.onnx"));
        foreach (var (t, i) in b.Graph.Initializer.Select((t, i) => (t, i)))
            Assert.Equal(model.Graph.Initializer[i].RawData.ToByteArray(), OnnxModelFile.ReadTensorBytes(t, dir.Combine("b")).ToArray());
    }

    [Fact]
    public void SavingInPlaceOverItsOwnDataFileKeepsTheData()
    {
        using var dir = Fixtures.NewTempDir();
        var model = TestModels.Linear();
        var path = dir.Combine("model.onnx");
        OnnxModelFile.Save(model, path, External);
        var before = File.ReadAllBytes(dir.Combine("model.onnx_data"));

        OnnxModelFile.Save(OnnxModelFile.Load(path), path);

        Assert.Equal(before, File.ReadAllBytes(dir.Combine("model.onnx_data")));
        Assert.Equal(["model.onnx", "model.onnx_data"], Directory.GetFiles(dir.FullPath).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void ModelsOverTheInlineLimitGoExternalWithoutBeingAsked()
    {
        using var dir = Fixtures.NewTempDir();
        var options = new OnnxSaveOptions { InlineLimit = 1000 };
        OnnxModelFile.Save(TestModels.Linear(n: 32), dir.Combine("model.onnx"), options);

        var saved = OnnxModelFile.Load(dir.Combine("model.onnx"));
        Assert.True(ExternalData.IsExternal(saved.Graph.Initializer.Single(t => t.Name == "W")));
        Assert.True(File.Exists(dir.Combine("model.onnx_data")));
    }

    [Fact]
    public void AnInlineSaveOverAModelWithExternalDataRemovesTheStaleDataFile()
    {
        using var dir = Fixtures.NewTempDir();
        OnnxModelFile.Save(TestModels.Linear(), dir.Combine("model.onnx"), External);
        Assert.True(File.Exists(dir.Combine("model.onnx_data")));

        OnnxModelFile.Save(TestModels.Linear(seed: 2), dir.Combine("model.onnx"));

        Assert.Equal(["model.onnx"], Directory.GetFiles(dir.FullPath).Select(Path.GetFileName));
        Assert.Equal(TestModels.Linear(seed: 2), OnnxModelFile.Load(dir.Combine("model.onnx")));
    }

    [Fact]
    public void SubgraphInitializersGoExternalToo()
    {
        using var dir = Fixtures.NewTempDir();
        var model = TestModels.Linear();
        var body = new GraphProto { Name = "then" };
        body.Initializer.Add(TestModels.FloatTensor("C", [64], Enumerable.Range(0, 64).Select(i => (float)i).ToArray()));
        body.Output.Add(TestModels.TensorValue("C", TensorProto.Types.DataType.Float, 64));
        var ifNode = TestModels.Node("If", ["cond"], ["picked"], "if");
        ifNode.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = body });
        ifNode.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = body.Clone() });
        model.Graph.Node.Add(ifNode);

        OnnxModelFile.Save(model, dir.Combine("model.onnx"), External);

        var saved = OnnxModelFile.Load(dir.Combine("model.onnx"));
        var c = saved.Graph.Node.Single(n => n.OpType == "If").Attribute[0].G.Initializer.Single();
        Assert.True(ExternalData.IsExternal(c));
        Assert.Equal(body.Initializer[0].RawData.ToByteArray(), OnnxModelFile.ReadTensorBytes(c, dir.FullPath).ToArray());
    }

    [Fact]
    public void CustomDataFileNameIsUsed()
    {
        using var dir = Fixtures.NewTempDir();
        OnnxModelFile.Save(TestModels.Linear(), dir.Combine("m.onnx"), new OnnxSaveOptions { ForceExternalData = true, ExternalDataFileName = "weights.bin" });
        var w = OnnxModelFile.Load(dir.Combine("m.onnx")).Graph.Initializer.Single(t => t.Name == "W");
        Assert.Equal("weights.bin", ExternalData.GetReference(w).Location);
        Assert.Equal(32 * 32 * 4, new FileInfo(dir.Combine("weights.bin")).Length);
    }

    [Theory]
    [InlineData("../outside.bin", "'..'")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("sub/../../x.bin", "'..'")]
    public void LoadRefusesUnsafeLocationsNamingTensorAndLocation(string location, string reason)
    {
        using var dir = Fixtures.NewTempDir();
        var model = TestModels.Linear();
        ExternalData.SetReference(model.Graph.Initializer[0], location, 0, 32 * 32 * 4);
        File.WriteAllBytes(dir.Combine("model.onnx"), model.ToByteArray());

        var e = Assert.Throws<OnnxBuildException>(() => OnnxModelFile.Load(dir.Combine("model.onnx")));

        Assert.Equal(ErrorCodes.ExternalDataLocationUnsafe, e.Code);
        Assert.Contains("'W'", e.Message);
        Assert.Contains(location, e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void ASymbolicLinkLeadingOutOfTheModelFolderIsRefused()
    {
        using var outside = Fixtures.NewTempDir();
        using var dir = Fixtures.NewTempDir();
        File.WriteAllBytes(outside.Combine("secret.bin"), new byte[32 * 32 * 4]);
        File.CreateSymbolicLink(dir.Combine("w.bin"), outside.Combine("secret.bin"));
        var tensor = TestModels.Linear().Graph.Initializer[0];
        ExternalData.SetReference(tensor, "w.bin", 0, 32 * 32 * 4);

        var e = Assert.Throws<OnnxBuildException>(() => OnnxModelFile.ReadTensorBytes(tensor, dir.FullPath));

        Assert.Equal(ErrorCodes.ExternalDataLocationUnsafe, e.Code);
        Assert.Contains("outside the model's folder", e.Message);
    }

    [Fact]
    public void ReadTensorBytesReportsMissingAndShortFiles()
    {
        using var dir = Fixtures.NewTempDir();
        var tensor = TestModels.Linear().Graph.Initializer[0];
        ExternalData.SetReference(tensor, "w.bin", 4096, 32 * 32 * 4);

        var missing = Assert.Throws<OnnxBuildException>(() => OnnxModelFile.ReadTensorBytes(tensor, dir.FullPath));
        Assert.Equal(ErrorCodes.ExternalDataMissing, missing.Code);
        Assert.Contains("w.bin", missing.Message);

        File.WriteAllBytes(dir.Combine("w.bin"), new byte[4096 + 100]);
        var shortFile = Assert.Throws<OnnxBuildException>(() => OnnxModelFile.ReadTensorBytes(tensor, dir.FullPath));
        Assert.Equal(ErrorCodes.ExternalDataTooShort, shortFile.Code);
        Assert.Contains("'W'", shortFile.Message);

        var data = new byte[4096 + 4096];
        data[4096] = 42;
        File.WriteAllBytes(dir.Combine("w.bin"), data);
        var bytes = OnnxModelFile.ReadTensorBytes(tensor, dir.FullPath);
        Assert.Equal(4096, bytes.Length);
        Assert.Equal(42, bytes.Span[0]);
    }

    [Fact]
    public void TypedDataIsPackedAsLittleEndianBytes()
    {
        var tensor = new TensorProto { Name = "t", DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(2);
        tensor.Int64Data.Add([1, -2]);
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], OnnxModelFile.ReadTensorBytes(tensor, "").ToArray());

        var half = new TensorProto { Name = "h", DataType = (int)TensorProto.Types.DataType.Float16 };
        half.Dims.Add(1);
        half.Int32Data.Add(0x3c00);
        Assert.Equal([0x00, 0x3c], OnnxModelFile.ReadTensorBytes(half, "").ToArray());
    }

    [Fact]
    public void SaveOfAnExternalTensorWithUnknownFolderSaysHowToFixIt()
    {
        using var dir = Fixtures.NewTempDir();
        var model = TestModels.Linear();
        OnnxModelFile.Save(model, dir.Combine("model.onnx"), External);
        var parsed = ModelProto.Parser.ParseFrom(File.ReadAllBytes(dir.Combine("model.onnx")));

        var e = Assert.Throws<OnnxBuildException>(() => OnnxModelFile.Save(parsed, dir.Combine("copy.onnx")));
        Assert.Equal(ErrorCodes.ExternalDataMissing, e.Code);
        Assert.Contains("SourceDirectory", e.Message);

        OnnxModelFile.Save(parsed, dir.Combine("copy.onnx"), new OnnxSaveOptions { SourceDirectory = dir.FullPath });
        Assert.Equal(File.ReadAllBytes(dir.Combine("model.onnx_data")), File.ReadAllBytes(dir.Combine("copy.onnx_data")));
    }
}
