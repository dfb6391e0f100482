using System.Text.Json.Nodes;
using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Diagnostics;
using OnnxBuildTasks.Export;
using OnnxBuildTasks.Validation;

namespace OnnxBuildTasks.Tests.Export;

/// <summary>
/// XLM's sentence heads and ELECTRA's multiple-choice head are transformers' SequenceSummary, which config.json
/// steers (summary_type, summary_use_proj, summary_activation). The fixtures are all "first" with a projection;
/// the other settings are checked against the exported encoder's own last_hidden_state (the encoder itself is
/// checked against PyTorch by the fixture tests) pooled and projected here as SequenceSummary.forward does.
/// </summary>
public class SequenceSummaryTests
{
    private const string Fixture = "xlm-text-classification";

    [Theory]
    [InlineData("last", true, null)]
    [InlineData("cls_index", true, "tanh")]
    [InlineData("mean", true, "tanh")]
    [InlineData("mean", false, null)]
    [InlineData("first", false, "tanh")]
    public void SummaryTypeProjectionAndActivationFollowConfigJson(string type, bool useProjection, string? activation)
    {
        using var dir = Fixtures.NewTempDir();
        string folder = ExportFixtures.CopyWithConfig(Fixture, dir, c =>
        {
            c["summary_type"] = type;
            c["summary_use_proj"] = useProjection;
            c["summary_activation"] = activation;
        });
        var inputs = ExportFixtures.Inputs(Fixture);
        var logits = ExportFixtures.Run(Export(folder, dir, "text-classification").ModelPath, inputs)["logits"];
        var hidden = ExportFixtures.Run(Export(folder, dir, "feature-extraction").ModelPath, inputs)["last_hidden_state"];

        double[] expected = Summarize(hidden, type, useProjection ? folder : null, activation, out long[] shape);
        Assert.Equal(shape, logits.Shape);
        var actual = logits.ToDoubles();
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4, $"logit {i}: {actual[i]} != {expected[i]}");
    }

    [Theory]
    [InlineData("xlm-text-classification")]     // XLMConfig's default summary_activation: none
    [InlineData("electra-multiple-choice")]     // ElectraConfig's default: gelu
    public void AnAbsentSummaryActivationIsTheConfigClassDefault(string fixture)
    {
        using var dir = Fixtures.NewTempDir();
        string folder = ExportFixtures.CopyWithConfig(fixture, dir, c => c.Remove("summary_activation"));
        var result = Export(folder, dir, ExportFixtures.Manifest(fixture).Task);
        var outputs = ExportFixtures.Run(result.ModelPath, ExportFixtures.Inputs(fixture));
        Assert.True(OrtRunner.MaxAbsDiff(outputs["logits"], ExportFixtures.Outputs(fixture)["logits"]) <= 1e-4);
    }

    [Fact]
    public void AttentionSummaryIsACodedErrorNamingTheSetting()
    {
        using var dir = Fixtures.NewTempDir();
        string folder = ExportFixtures.CopyWithConfig(Fixture, dir, c => c["summary_type"] = "attn");
        var e = Assert.Throws<OnnxBuildException>(() => Export(folder, dir, "text-classification"));
        Assert.Equal(ErrorCodes.ExportConfigInvalid, e.Code);
        Assert.Contains("summary_type = attn", e.Message);
        Assert.Contains("item-under-test", e.Message);
    }

    // SequenceSummary.forward without cls_index: pool over the sequence axis, optional Linear, optional activation.
    private static double[] Summarize(HostTensor hidden, string type, string? projectionFolder, string? activation, out long[] shape)
    {
        int batch = (int)hidden.Shape[0], sequence = (int)hidden.Shape[1], width = (int)hidden.Shape[2];
        var h = hidden.ToDoubles();
        var pooled = new double[batch * width];
        for (int b = 0; b < batch; b++)
        for (int k = 0; k < width; k++)
        {
            double At(int s) => h[(b * sequence + s) * width + k];
            pooled[b * width + k] = type switch
            {
                "first" => At(0),
                "last" or "cls_index" => At(sequence - 1),
                _ => Enumerable.Range(0, sequence).Sum(At) / sequence,
            };
        }
        double[] result = pooled;
        int outWidth = width;
        if (projectionFolder is not null)
        {
            using var checkpoint = Checkpoint.Open(projectionFolder);
            var weight = checkpoint.GetTensor("sequence_summary.summary.weight");
            var bias = checkpoint.GetTensor("sequence_summary.summary.bias").ToFloat32();
            float[] w = weight.ToFloat32();
            outWidth = (int)weight.Shape[0];
            result = new double[batch * outWidth];
            for (int b = 0; b < batch; b++)
            for (int o = 0; o < outWidth; o++)
            {
                double sum = bias[o];
                for (int k = 0; k < width; k++) sum += w[o * width + k] * pooled[b * width + k];
                result[b * outWidth + o] = sum;
            }
        }
        if (activation == "tanh") result = result.Select(Math.Tanh).ToArray();
        shape = [batch, outWidth];
        return result;
    }

    private static CheckpointExportResult Export(string folder, TempDir dir, string task) => CheckpointExporter.Export(new ExportRequest
    {
        CheckpointFolder = folder, OutputDirectory = Path.Combine(dir.FullPath, "out-" + task), Task = task, ItemName = "item-under-test",
    });
}
