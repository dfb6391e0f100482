using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>
/// An operator that first appears at <see cref="Version"/> and has no decomposition into older
/// operators: going below that version is refused with the coded error. The registry makes one
/// for every such operator in <see cref="OperatorHistory"/>.
/// </summary>
internal sealed class NewOperatorAdapter(string op, int version) : IOpAdapter
{
    public string Op => op;

    public int Version => version;

    public StepKind Kind => StepKind.NewOperator;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit) =>
        throw edit.Fail(ErrorCodes.OpsetOperatorMissingInTarget,
            $"{op} exists only from opset {version} and has no decomposition into older operators; keep opset >= {version}");
}
