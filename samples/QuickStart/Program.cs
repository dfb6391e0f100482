// QuickStart: the build put the model in the output folder; load it with ONNX Runtime and classify.
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

var modelPath = Path.Combine(AppContext.BaseDirectory, "models", "sentiment", "model.onnx");
var inputsPath = Path.Combine(AppContext.BaseDirectory, "models", "sentiment.inputs.json");
string[] labels = ["negative", "neutral", "positive"];

Console.WriteLine($"model: {Path.GetRelativePath(AppContext.BaseDirectory, modelPath)}");
using var session = new InferenceSession(modelPath);
Console.WriteLine($"inputs: {string.Join(", ", session.InputMetadata.Keys)}; outputs: {string.Join(", ", session.OutputMetadata.Keys)}");

// inputs.json: { "<input>": { "dtype": "int64", "shape": [batch, sequence], "data": [...] } }
using var json = JsonDocument.Parse(File.ReadAllText(inputsPath));
var feeds = new Dictionary<string, OrtValue>();
long batch = 0, sequence = 0;
foreach (var input in json.RootElement.EnumerateObject())
{
    var shape = input.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
    var data = input.Value.GetProperty("data").EnumerateArray().Select(v => v.GetInt64()).ToArray();
    (batch, sequence) = (shape[0], shape[1]);
    feeds[input.Name] = OrtValue.CreateTensorValueFromMemory(data, shape);
}

// Keep the RunOptions in a variable for the whole run: Run passes its native handle, and an inline
// `new RunOptions()` may be finalized by the GC while ONNX Runtime still reads it.
using var runOptions = new RunOptions();
using var results = session.Run(runOptions, feeds.Keys.ToList(), feeds.Values.ToList(), ["logits"]);
var logits = results[0].GetTensorDataAsSpan<float>().ToArray();
var classes = logits.Length / (int)batch;
for (var row = 0; row < batch; row++)
{
    var scores = logits.AsSpan(row * classes, classes).ToArray();
    var max = scores.Max();
    var exp = scores.Select(s => Math.Exp(s - max)).ToArray();
    var probabilities = exp.Select(e => e / exp.Sum()).ToArray();
    var best = Array.IndexOf(probabilities, probabilities.Max());
    var tokens = json.RootElement.GetProperty("attention_mask").GetProperty("data").EnumerateArray()
        .Skip(row * (int)sequence).Take((int)sequence).Count(m => m.GetInt64() == 1);
    Console.WriteLine($"sentence {row} ({tokens} tokens): {labels[best]}  " +
        string.Join("  ", labels.Select((l, i) => $"{l}={probabilities[i]:0.000}")));
}
foreach (var value in feeds.Values) value.Dispose();
