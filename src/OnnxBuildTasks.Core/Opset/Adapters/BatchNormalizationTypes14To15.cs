using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>BatchNormalization at 15: scale/bias and mean/variance may have their own float types. Down: all must match the data type.</summary>
internal sealed class BatchNormalizationTypes14To15 : IOpAdapter
{
    public string Op => "BatchNormalization";

    public int Version => 15;

    public StepKind Kind => StepKind.TypeExtension;

    public void Upgrade(NodeEdit edit) { }

    public void Downgrade(NodeEdit edit)
    {
        var x = edit.TypeOf(edit.Input(0));
        for (int i = 1; i < edit.Node.Input.Count; i++)
        {
            var t = edit.TypeOf(edit.Input(i));
            if (x is null || t is null) { edit.Unverified.Add("BatchNormalization input types unknown; opset 15 mixed-type check not verified"); return; }
            if (t != x)
                throw edit.Fail(ErrorCodes.OpsetTypeNotInTarget, $"input '{edit.Input(i)}' is {t} while the data is {x}; mixed types exist only from opset 15");
        }
    }
}
