using Google.Protobuf;

namespace OnnxBuildTasks.Validation;

/// <summary>
/// Rewrites a SentencePiece model (protobuf ModelProto) so Microsoft.ML.Tokenizers can load it: models trained
/// without beginning/end-of-sentence pieces (trainer_spec bos_id/eos_id -1, as ALBERT's spiece.model) get the
/// ids of the named pieces instead. Tokenization does not change: these pieces are only emitted when asked for.
/// </summary>
internal static class SentencePieceModelPatch
{
    // Field numbers of sentencepiece_model.proto: ModelProto.pieces = 1, .trainer_spec = 2; SentencePiece.piece = 1;
    // TrainerSpec.bos_id = 41, .eos_id = 42.
    private const int PiecesField = 1, TrainerSpecField = 2, PieceTextField = 1, BosIdField = 41, EosIdField = 42;

    /// <summary>
    /// The model with bos_id/eos_id set to the ids of <paramref name="bos"/>/<paramref name="eos"/> where they are
    /// negative; the bytes unchanged when they are not, or when those pieces are absent. <paramref name="pieces"/>
    /// lists the model's pieces by id (control pieces included).
    /// </summary>
    public static byte[] WithSentencePieces(byte[] model, string bos, string eos, out IReadOnlyList<string> pieces)
    {
        var list = new List<string>();
        pieces = list;
        ByteString? trainer = null;
        foreach (var field in Fields(model))
        {
            if (field.Number == PiecesField) list.Add(Fields(field.Bytes!.ToByteArray()).FirstOrDefault(f => f.Number == PieceTextField).Bytes?.ToStringUtf8() ?? "");
            if (field.Number == TrainerSpecField) trainer = field.Bytes;
        }
        int bosId = list.IndexOf(bos), eosId = list.IndexOf(eos);
        if (trainer is null || bosId < 0 || eosId < 0) return model;
        var trainerFields = Fields(trainer.ToByteArray()).ToList();
        if (!trainerFields.Any(f => f.Number is BosIdField or EosIdField && f.Varint is long v && (int)v < 0)) return model;

        var newTrainer = Write(trainerFields.Select(f => f.Number switch
        {
            BosIdField when (int)f.Varint!.Value < 0 => f with { Varint = bosId },
            EosIdField when (int)f.Varint!.Value < 0 => f with { Varint = eosId },
            _ => f,
        }));
        return Write(Fields(model).Select(f => f.Number == TrainerSpecField ? f with { Bytes = ByteString.CopyFrom(newTrainer) } : f));
    }

    private readonly record struct Field(int Number, WireFormat.WireType Type, ByteString? Bytes, long? Varint = null, ulong? Fixed = null);

    private static IEnumerable<Field> Fields(byte[] message)
    {
        var input = new CodedInputStream(message);
        var result = new List<Field>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int number = WireFormat.GetTagFieldNumber(tag);
            var type = WireFormat.GetTagWireType(tag);
            result.Add(type switch
            {
                WireFormat.WireType.Varint => new Field(number, type, null, input.ReadInt64()),
                WireFormat.WireType.LengthDelimited => new Field(number, type, input.ReadBytes()),
                WireFormat.WireType.Fixed32 => new Field(number, type, null, null, input.ReadFixed32()),
                WireFormat.WireType.Fixed64 => new Field(number, type, null, null, input.ReadFixed64()),
                _ => throw new InvalidDataException($"unsupported protobuf wire type {type}"),
            });
        }
        return result;
    }

    private static byte[] Write(IEnumerable<Field> fields)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        foreach (var f in fields)
        {
            output.WriteTag(f.Number, f.Type);
            switch (f.Type)
            {
                case WireFormat.WireType.Varint: output.WriteInt64(f.Varint!.Value); break;
                case WireFormat.WireType.LengthDelimited: output.WriteBytes(f.Bytes!); break;
                case WireFormat.WireType.Fixed32: output.WriteFixed32((uint)f.Fixed!.Value); break;
                default: output.WriteFixed64(f.Fixed!.Value); break;
            }
        }
        output.Flush();
        return stream.ToArray();
    }
}
