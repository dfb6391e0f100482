using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>Scan at 9 dropped Scan-8's batch axis and sequence_lens input; the body signatures differ, so no rewrite is offered.</summary>
internal sealed class ScanBatchAxis8To9 : IOpAdapter
{
    public string Op => "Scan";

    public int Version => 9;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit) => throw Refuse(edit);

    public void Downgrade(NodeEdit edit) => throw Refuse(edit);

    private static Diagnostics.OnnxBuildException Refuse(NodeEdit edit) =>
        edit.Fail(ErrorCodes.OpsetValueNotExpressible, "Scan-8 (batched, sequence_lens) and Scan-9 have different bodies; the converter does not rewrite Scan bodies across opset 9");
}
