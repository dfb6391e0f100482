using System.Globalization;
using System.Text.Json;
using OnnxBuildTasks.Diagnostics;

namespace OnnxBuildTasks.Validation;

/// <summary>
/// Reads and writes the inputs.json / outputs.json format of design.md:
/// <c>{ "name": { "dtype": "int64", "shape": [2, 7], "data": [flat row-major values] } }</c>.
/// Entry order is kept (it is the order a model's inputs are listed in).
/// </summary>
public static class TensorJson
{
    public static IReadOnlyDictionary<string, HostTensor> ReadFile(string path)
    {
        if (!File.Exists(path))
            throw new OnnxBuildException(ErrorCodes.TensorJsonInvalid, $"Tensor file '{path}' does not exist.");
        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (JsonException e)
        {
            throw new OnnxBuildException(ErrorCodes.TensorJsonInvalid, $"Tensor file '{path}' is not valid JSON: {e.Message}", e);
        }
    }

    public static IReadOnlyDictionary<string, HostTensor> Parse(string json, string origin = "<json>")
    {
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw Invalid(origin, "the top level must be an object of named tensors");
        var result = new OrderedDictionary<string, HostTensor>(StringComparer.Ordinal);
        foreach (var entry in doc.RootElement.EnumerateObject())
            result[entry.Name] = ReadTensor(entry.Name, entry.Value, origin);
        return result;
    }

    private static HostTensor ReadTensor(string name, JsonElement e, string origin)
    {
        if (e.ValueKind != JsonValueKind.Object
            || !e.TryGetProperty("dtype", out var dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String
            || !e.TryGetProperty("shape", out var shapeEl) || shapeEl.ValueKind != JsonValueKind.Array
            || !e.TryGetProperty("data", out var dataEl) || dataEl.ValueKind != JsonValueKind.Array)
            throw Invalid(origin, $"tensor '{name}' needs \"dtype\" (string), \"shape\" (array) and \"data\" (array)");
        if (!TensorElementTypes.TryParse(dtypeEl.GetString()!, out var type))
            throw Invalid(origin, $"tensor '{name}' has unsupported dtype '{dtypeEl.GetString()}'");
        var shape = shapeEl.EnumerateArray().Select(d => d.TryGetInt64(out var v) && v >= 0 ? v : throw Invalid(origin, $"tensor '{name}' has a bad dimension {d}")).ToArray();
        var values = dataEl.EnumerateArray().ToArray();
        long expected = shape.Aggregate(1L, (a, b) => a * b);
        if (expected != values.Length)
            throw Invalid(origin, $"tensor '{name}' has shape [{string.Join(",", shape)}] ({expected} values) but {values.Length} values");
        Type clr = TensorElementTypes.ClrType(type);
        var data = Array.CreateInstance(clr, values.Length);
        for (int i = 0; i < values.Length; i++)
            data.SetValue(ReadScalar(values[i], clr, name, origin), i);
        return new HostTensor(type, shape, data);
    }

    private static object ReadScalar(JsonElement v, Type clr, string name, string origin)
    {
        if (clr == typeof(bool))
            return v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number => v.GetDouble() != 0,
                _ => throw Invalid(origin, $"tensor '{name}' has a non-boolean value {v}"),
            };
        if (v.ValueKind == JsonValueKind.String)
        {
            // NaN and infinities are written as strings by some writers.
            var s = v.GetString();
            double special = s switch { "NaN" or "nan" => double.NaN, "Infinity" or "inf" => double.PositiveInfinity, "-Infinity" or "-inf" => double.NegativeInfinity, _ => throw Invalid(origin, $"tensor '{name}' has a non-numeric value \"{s}\"") };
            return clr == typeof(float) ? (float)special : clr == typeof(double) ? special : clr == typeof(Half) ? (Half)special : throw Invalid(origin, $"tensor '{name}' has \"{s}\" in an integer tensor");
        }
        if (v.ValueKind != JsonValueKind.Number)
            throw Invalid(origin, $"tensor '{name}' has a non-numeric value {v}");
        if (clr == typeof(float)) return (float)v.GetDouble();
        if (clr == typeof(double)) return v.GetDouble();
        if (clr == typeof(Half)) return (Half)v.GetDouble();
        if (!v.TryGetInt64(out long l))
            throw Invalid(origin, $"tensor '{name}' has a non-integer value {v} in an integer tensor");
        try
        {
            return Convert.ChangeType(l, clr, CultureInfo.InvariantCulture);
        }
        catch (OverflowException)
        {
            throw Invalid(origin, $"tensor '{name}' has value {l} out of range for {clr.Name}");
        }
    }

    public static void WriteFile(string path, IEnumerable<KeyValuePair<string, HostTensor>> tensors)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            foreach (var (name, t) in tensors)
            {
                w.WriteStartObject(name);
                w.WriteString("dtype", TensorElementTypes.JsonName(t.ElementType));
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data");
                WriteValues(w, t);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        var tmp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllBytes(tmp, stream.ToArray());
        File.Move(tmp, path, overwrite: true);
    }

    private static void WriteValues(Utf8JsonWriter w, HostTensor t)
    {
        switch (t.Data)
        {
            case bool[] b: foreach (var v in b) w.WriteBooleanValue(v); break;
            case long[] l: foreach (var v in l) w.WriteNumberValue(v); break;
            case int[] i: foreach (var v in i) w.WriteNumberValue(v); break;
            case float[] f: foreach (var v in f) WriteReal(w, v); break;
            default: foreach (var v in t.ToDoubles()) WriteReal(w, v); break;
        }
    }

    private static void WriteReal(Utf8JsonWriter w, double v)
    {
        if (double.IsFinite(v)) w.WriteNumberValue(v);
        else w.WriteStringValue(double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    }

    private static void WriteReal(Utf8JsonWriter w, float v)
    {
        if (float.IsFinite(v)) w.WriteNumberValue(v);
        else w.WriteStringValue(float.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    }

    private static OnnxBuildException Invalid(string origin, string what) =>
        new(ErrorCodes.TensorJsonInvalid, $"Tensor file '{origin}': {what}.");
}
