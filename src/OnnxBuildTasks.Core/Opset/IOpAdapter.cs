namespace OnnxBuildTasks.Opset;

/// <summary>How an operator's schema changed at one version (see <see cref="OperatorHistory"/>).</summary>
internal enum StepKind
{
    /// <summary>Only new element types; downgrading checks the node uses none of them.</summary>
    TypeExtension,
    /// <summary>New attributes (or attribute values) whose defaults keep the old meaning.</summary>
    AttributeAdded,
    /// <summary>Attributes became inputs (or back); constant inputs fold into attributes going down.</summary>
    AttributeInputMove,
    /// <summary>The computation changed meaning; a hand-written adapter rewrites the node.</summary>
    Semantic,
    /// <summary>The operator appears at this version; going down it is decomposed or refused.</summary>
    NewOperator,
}

/// <summary>
/// Rewrites nodes of one operator across one schema change: <see cref="Version"/> is the schema's
/// since-version; <see cref="Upgrade"/> takes a node from the previous schema to it and
/// <see cref="Downgrade"/> takes it back.
/// </summary>
internal interface IOpAdapter
{
    string Op { get; }

    int Version { get; }

    StepKind Kind { get; }

    void Upgrade(NodeEdit edit);

    void Downgrade(NodeEdit edit);
}
