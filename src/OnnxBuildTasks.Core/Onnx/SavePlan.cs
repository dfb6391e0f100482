using Google.Protobuf;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Onnx;

/// <summary>
/// Decides, for a model about to be saved, where each tensor's bytes come from (inline raw_data, a
/// deferred payload, a loaded model's external file) and where they go (inline or the external data file
/// at a 4096-aligned offset). Works on a clone: the caller's model is never changed.
/// </summary>
internal sealed class SavePlan
{
    private SavePlan(ModelProto model, string dataFileName)
    {
        Model = model;
        DataFileName = dataFileName;
    }

    /// <summary>The model to serialize: external tensors already point at the new data file.</summary>
    public ModelProto Model { get; }

    public string DataFileName { get; }

    /// <summary>Tensors written to the external data file, in file order (named as in the model, offsets in the data file).</summary>
    public List<PayloadSlot> External { get; } = [];

    /// <summary>Top-level initializers (of <see cref="Model"/>) whose bytes are streamed inline as raw_data.</summary>
    public Dictionary<TensorProto, ITensorPayload> InlinePayloads { get; } = new(ReferenceEqualityComparer.Instance);

    public static SavePlan Create(ModelProto model, string modelPath, OnnxSaveOptions options)
    {
        var dataFileName = options.ExternalDataFileName ?? Path.GetFileName(modelPath) + "_data";
        if (ExternalData.UnsafeLocationReason(dataFileName) is not null || dataFileName.IndexOfAny(['/', '\\']) >= 0)
            throw new ArgumentException($"External data file name '{dataFileName}' must be a plain file name.", nameof(options));
        var payloads = options.Payloads ?? new Dictionary<string, ITensorPayload>();
        var plan = new SavePlan(model.Clone(), dataFileName);

        var originals = ModelTensors.All(model).ToList();
        var copies = ModelTensors.All(plan.Model).ToList();
        var sources = new ITensorPayload?[originals.Count];
        var fromExternalFile = new bool[originals.Count];
        var usedPayloads = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < originals.Count; i++)
        {
            var (tensor, site) = originals[i];
            if (site == TensorSite.Initializer && payloads.TryGetValue(tensor.Name, out var payload))
            {
                CheckPayload(tensor, payload);
                usedPayloads.Add(tensor.Name);
                sources[i] = payload;
            }
            else if (ExternalData.IsExternal(tensor))
            {
                var folder = ExternalData.SourceFolderOf(tensor) ?? options.SourceDirectory
                    ?? throw new OnnxBuildException(ErrorCodes.ExternalDataMissing,
                        $"Tensor '{tensor.Name}' is stored in an external data file but the folder it was loaded from is unknown; load the model with OnnxModelFile.Load or set OnnxSaveOptions.SourceDirectory.");
                var range = ExternalRange.Resolve(tensor, folder);
                sources[i] = TensorPayload.FromFile(range.Path, range.Offset, range.Length);
                fromExternalFile[i] = true;
            }
            else if (site != TensorSite.Attribute && !tensor.RawData.IsEmpty)
            {
                sources[i] = new RawDataSource(tensor.RawData);
            }
        }
        foreach (var name in payloads.Keys)
        {
            if (!usedPayloads.Contains(name))
                throw new OnnxBuildException(ErrorCodes.TensorPayloadInvalid,
                    $"A payload is given for '{name}', but the model's graph has no initializer of that name.");
        }

        // Plain loops: LINQ over long or bool is compiled at first use in every process.
        long movable = 0;
        bool anyFromExternalFile = false;
        for (int i = 0; i < sources.Length; i++)
        {
            movable = checked(movable + (sources[i]?.Length ?? 0));
            anyFromExternalFile |= fromExternalFile[i];
        }
        bool useExternal = options.ForceExternalData || anyFromExternalFile || movable > options.InlineLimit;
        long offset = 0;
        for (int i = 0; i < originals.Count; i++)
        {
            var source = sources[i];
            if (source is null) continue;
            var copy = copies[i].Tensor;
            if (useExternal && (fromExternalFile[i] || source.Length >= options.ExternalDataThreshold))
            {
                offset = Align(offset);
                ExternalData.SetReference(copy, dataFileName, offset, source.Length);
                plan.External.Add(new PayloadSlot(copy.Name, source, offset));
                offset += source.Length;
            }
            else if (source is not RawDataSource)
            {
                plan.InlinePayloads[copy] = source;
            }
        }
        return plan;
    }

    private static long Align(long offset) =>
        (offset + OnnxSaveOptions.ExternalDataAlignment - 1) / OnnxSaveOptions.ExternalDataAlignment * OnnxSaveOptions.ExternalDataAlignment;

    private static void CheckPayload(TensorProto tensor, ITensorPayload payload)
    {
        if (!tensor.RawData.IsEmpty || ExternalData.IsExternal(tensor) || TensorTypedData.TotalTypedValues(tensor) > 0)
            throw new OnnxBuildException(ErrorCodes.TensorPayloadInvalid,
                $"Initializer '{tensor.Name}' has a payload but also data in the model; give one or the other.");
        var expected = TensorDataLayout.ByteSize(tensor);
        if (expected is long size && size != payload.Length)
            throw new OnnxBuildException(ErrorCodes.TensorPayloadInvalid,
                $"The payload for initializer '{tensor.Name}' is {payload.Length} bytes but its shape [{string.Join(",", tensor.Dims)}] and type need {size}.");
    }

    /// <summary>Inline raw_data that may move to the external data file.</summary>
    private sealed class RawDataSource(ByteString bytes) : ITensorPayload
    {
        public long Length => bytes.Length;

        public void WriteTo(Stream destination) => destination.Write(bytes.Span);
    }
}
