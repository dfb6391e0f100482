namespace OnnxBuildTasks.Validation;

/// <summary>One structural problem found by <see cref="ModelChecker"/>.</summary>
/// <param name="Code">The error code (an <c>OBT60xx</c> const of <see cref="Diagnostics.ErrorCodes"/>).</param>
/// <param name="Message">What is wrong, naming the node or value, and what to do.</param>
/// <param name="NodeName">The node concerned (its name, or op type and index when unnamed), if any.</param>
/// <param name="ValueName">The value, initializer or graph input/output concerned, if any.</param>
public sealed record CheckFinding(string Code, string Message, string? NodeName = null, string? ValueName = null)
{
    /// <inheritdoc />
    public override string ToString() => Code + ": " + Message;
}
