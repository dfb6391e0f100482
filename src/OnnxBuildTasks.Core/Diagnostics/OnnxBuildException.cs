namespace OnnxBuildTasks.Diagnostics;

/// <summary>
/// The one exception type the engine throws for anything a user can fix: bad input, a missing
/// file, an unsupported model. <see cref="Code"/> is a stable code from <see cref="ErrorCodes"/>
/// (OBT1xxx item/config, OBT2xxx fetch, OBT3xxx checkpoint, OBT4xxx export, OBT5xxx opset,
/// OBT6xxx validation); the message says what is wrong and what to do.
/// </summary>
public sealed class OnnxBuildException : Exception
{
    public OnnxBuildException(string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
    }

    /// <summary>The stable, greppable code, e.g. <c>OBT6001</c>.</summary>
    public string Code { get; }

    /// <summary>The error as one line in MSBuild's canonical format: <c>error CODE: message</c>.</summary>
    public string ToCanonical(string? origin = null) =>
        (string.IsNullOrEmpty(origin) ? "" : origin + ": ") + "error " + Code + ": " + Message;
}
