using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Opset.Adapters;

/// <summary>
/// GroupNormalization at 21: scale and bias are per channel (C) instead of per group (G), and
/// <c>stash_type</c> appears. Conversion needs constant scale/bias (and the channel count going up).
/// </summary>
internal sealed class GroupNormalizationChannels18To21 : IOpAdapter
{
    public string Op => "GroupNormalization";

    public int Version => 21;

    public StepKind Kind => StepKind.Semantic;

    public void Upgrade(NodeEdit edit)
    {
        long groups = edit.Int("num_groups", 0);
        long channels = edit.Dim(edit.Input(0), 1) ?? throw edit.Fail(ErrorCodes.OpsetRankUnknown, "the channel count (dimension 1 of the input) is not declared");
        for (int i = 1; i <= 2; i++)
        {
            var v = edit.RequireConstFloats(i, i == 1 ? "scale" : "bias");
            var perChannel = Enumerable.Range(0, (int)channels).Select(c => v[c / (int)(channels / groups)]).ToArray();
            edit.SetInput(i, edit.AddFloats(edit.FloatTypeOf(0), perChannel, [channels], i == 1 ? "gn_scale" : "gn_bias"));
        }
    }

    public void Downgrade(NodeEdit edit)
    {
        long groups = edit.Int("num_groups", 0);
        for (int i = 1; i <= 2; i++)
        {
            var v = edit.RequireConstFloats(i, i == 1 ? "scale" : "bias");
            int per = groups > 0 ? v.Length / (int)groups : 0;
            if (per == 0 || v.Length % groups != 0 || Enumerable.Range(0, v.Length).Any(c => v[c] != v[c / per * per]))
                throw edit.Fail(ErrorCodes.OpsetValueNotExpressible, "per-channel scale/bias that differ within a group exist only from opset 21");
            var perGroup = Enumerable.Range(0, (int)groups).Select(g => v[g * per]).ToArray();
            edit.SetInput(i, edit.AddFloats(edit.FloatTypeOf(0), perGroup, [groups], i == 1 ? "gn_scale" : "gn_bias"));
        }
        edit.RemoveAttr("stash_type");
    }
}
