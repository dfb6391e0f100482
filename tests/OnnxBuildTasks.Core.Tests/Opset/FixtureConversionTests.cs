using OnnxBuildTasks.Onnx;
using OnnxBuildTasks.Opset;
using OnnxBuildTasks.Validation;
using static OnnxBuildTasks.Tests.Opset.OpsetTestKit;

namespace OnnxBuildTasks.Tests.Opset;

/// <summary>
/// Every hf-tiny reference.onnx (torch.onnx exports at opset 13) converted to opsets 11..21 (..26) and back
/// to 13: ONNX Runtime outputs equal the original's within 1e-5 and the structural checker passes.
/// One model per distinct graph family (11 fixtures) walks every target 11..26; the other fixtures take
/// 11 and 21 (each passing every step in between) to keep the run short.
/// </summary>
public class FixtureConversionTests
{
    private static readonly string[] Representatives =
    [
        "albert-feature-extraction", "bart-feature-extraction", "bert-feature-extraction", "bert-feature-extraction-fp16",
        "gpt-neo-text-generation", "gpt2-text-generation", "gptj-text-generation", "llama-text-generation",
        "mpnet-feature-extraction", "t5-feature-extraction", "vit-image-classification",
    ];

    // GPT-J's attention carries a sequence through a Loop (SequenceEmpty -> Loop), which Loop accepts
    // only from opset 13: below that the converter must refuse with the type code, naming the Loop.
    private static bool RefusedBelow13(string fixture) => fixture.StartsWith("gptj-", StringComparison.Ordinal);

    private static readonly int[] AllTargets = Enumerable.Range(11, OperatorHistory.MaxOpset - 10).ToArray();
    private static readonly int[] FewTargets = [11, 21];

    public static TheoryData<string> Fixtures() =>
        new(Directory.GetDirectories(Tests.Fixtures.Path("hf-tiny"))
            .Where(d => File.Exists(Path.Combine(d, "reference.onnx")) && File.Exists(Path.Combine(d, "inputs.json")))
            .Select(Path.GetFileName)
            .Order()!);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Reference_model_converts_to_every_target_and_back(string fixture)
    {
        var model = OnnxModelFile.Load(Tests.Fixtures.Path("hf-tiny", fixture, "reference.onnx"));
        var inputs = TensorJson.ReadFile(Tests.Fixtures.Path("hf-tiny", fixture, "inputs.json"));
        var expected = Run(model, inputs);
        foreach (var target in Representatives.Contains(fixture) ? AllTargets : FewTargets)
        {
            if (target < 13 && RefusedBelow13(fixture))
            {
                var e = Assert.Throws<Diagnostics.OnnxBuildException>(() => OpsetConverter.Convert(model, target));
                Assert.Equal(Diagnostics.ErrorCodes.OpsetTypeNotInTarget, e.Code);
                Assert.Contains("(Loop)", e.Message);
                Assert.Contains("sequence", e.Message);
                continue;
            }
            var there = OpsetConverter.Convert(model, target).Model;
            Assert.True(CheckerFindings(there) == "", $"{fixture} at {target}: {CheckerFindings(there)}");
            AssertClose(expected, Run(there, inputs), 1e-5, $"{fixture} 13->{target}");
            var back = OpsetConverter.Convert(there, 13).Model;
            Assert.True(CheckerFindings(back) == "", $"{fixture} back at 13: {CheckerFindings(back)}");
            AssertClose(expected, Run(back, inputs), 1e-5, $"{fixture} 13->{target}->13");
        }
    }

    [Fact]
    public void Every_representative_fixture_exists()
    {
        foreach (var r in Representatives)
            Assert.True(File.Exists(Tests.Fixtures.Path("hf-tiny", r, "reference.onnx")), r);
    }
}
