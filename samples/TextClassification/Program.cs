// Classifies sentences with a BERT checkpoint that the build exported to ONNX.
// The model folder holds model.onnx plus the checkpoint's config.json and vocab.txt.
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

string modelDir = Path.Combine(AppContext.BaseDirectory, "models", "sentiment");
string[] texts = args.Length > 0 ? args : ["The quick brown fox jumps over the lazy dog near the river.", "Hello world!"];

// Tokenize with the checkpoint's own WordPiece vocabulary ([CLS] … [SEP], lower-cased as tokenizer_config.json says).
var tokenizer = BertTokenizer.Create(Path.Combine(modelDir, "vocab.txt"), new BertOptions { LowerCaseBeforeTokenization = true });
var encoded = texts.Select(t => tokenizer.EncodeToIds(t)).ToArray();
int length = encoded.Max(e => e.Count);
int batch = texts.Length;
var inputIds = new long[batch * length];
var attentionMask = new long[batch * length];
var tokenTypeIds = new long[batch * length];
for (int b = 0; b < batch; b++)
    for (int i = 0; i < length; i++)
    {
        bool real = i < encoded[b].Count;
        inputIds[b * length + i] = real ? encoded[b][i] : tokenizer.PaddingTokenId;
        attentionMask[b * length + i] = real ? 1 : 0;
    }

// Labels come from config.json's id2label.
using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(modelDir, "config.json")));
var labels = config.RootElement.GetProperty("id2label").EnumerateObject()
    .ToDictionary(p => int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture), p => p.Value.GetString()!);

using var session = new InferenceSession(Path.Combine(modelDir, "model.onnx"));
long[] shape = [batch, length];
using var ids = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
using var mask = OrtValue.CreateTensorValueFromMemory(attentionMask, shape);
using var types = OrtValue.CreateTensorValueFromMemory(tokenTypeIds, shape);
using var runOptions = new RunOptions();
using var outputs = session.Run(runOptions,
    ["input_ids", "attention_mask", "token_type_ids"], [ids, mask, types], ["logits"]);
var logits = outputs[0].GetTensorDataAsSpan<float>().ToArray();
int classes = labels.Count;

for (int b = 0; b < batch; b++)
{
    var row = logits.AsSpan(b * classes, classes).ToArray();
    double max = row.Max();
    var exp = row.Select(v => Math.Exp(v - max)).ToArray();
    double sum = exp.Sum();
    int best = Array.IndexOf(row, row.Max());
    Console.WriteLine($"{labels[best],-10} {exp[best] / sum:P1}  ids [{string.Join(",", encoded[b])}]  \"{texts[b]}\"");
}
