using OnnxBuildTasks.Checkpoints;
using OnnxBuildTasks.Export;
using OnnxBuildTasks.Export.Architectures;
using OnnxBuildTasks.Validation;
using DataType = OnnxBuildTasks.Onnx.TensorProto.Types.DataType;

namespace OnnxBuildTasks.Tests.Export.Blocks;

/// <summary>
/// Pre-norm layers (no registered architecture uses them yet) checked on a small random checkpoint against a
/// direct computation. The same computation in post-norm mode must agree with the post-norm graph, which the
/// fixture matrix ties to PyTorch, so the reference itself is checked too.
/// </summary>
public sealed class EncoderLayersTests : IDisposable
{
    private const int Hidden = 4, Heads = 2, Inner = 8, Vocab = 10, Positions = 8, Layers = 2;
    private readonly TempDir _dir = Fixtures.NewTempDir();
    private readonly Dictionary<string, (long[] Shape, float[] Values)> _weights = new();

    public EncoderLayersTests()
    {
        var rng = new Random(7);
        void Add(string name, params long[] shape)
        {
            var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
            for (int i = 0; i < values.Length; i++) values[i] = (float)(rng.NextDouble() * 1.2 - 0.6) + (name.EndsWith("LayerNorm.weight") ? 1f : 0f);
            _weights[name] = (shape, values);
        }
        Add("embeddings.word_embeddings.weight", Vocab, Hidden);
        Add("embeddings.position_embeddings.weight", Positions, Hidden);
        Add("embeddings.token_type_embeddings.weight", 2, Hidden);
        foreach (var n in new[] { "embeddings.LayerNorm", "encoder.LayerNorm" }) { Add(n + ".weight", Hidden); Add(n + ".bias", Hidden); }
        for (int l = 0; l < Layers; l++)
        {
            string p = $"encoder.layer.{l}.";
            foreach (var m in new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense" })
            { Add(p + m + ".weight", Hidden, Hidden); Add(p + m + ".bias", Hidden); }
            Add(p + "intermediate.dense.weight", Inner, Hidden); Add(p + "intermediate.dense.bias", Inner);
            Add(p + "output.dense.weight", Hidden, Inner); Add(p + "output.dense.bias", Hidden);
            foreach (var n in new[] { "attention.output.LayerNorm", "output.LayerNorm" }) { Add(p + n + ".weight", Hidden); Add(p + n + ".bias", Hidden); }
        }
        File.WriteAllText(_dir.Combine("config.json"), $$"""
            {"model_type": "bert", "architectures": ["BertModel"], "hidden_size": {{Hidden}}, "num_attention_heads": {{Heads}},
             "num_hidden_layers": {{Layers}}, "intermediate_size": {{Inner}}, "vocab_size": {{Vocab}}, "max_position_embeddings": {{Positions}},
             "type_vocab_size": 2, "hidden_act": "gelu", "layer_norm_eps": 1e-5}
            """);
        SafetensorsWriter.Write(_dir.Combine("model.safetensors"),
            _weights.Select(w => SafetensorsTensorSpec.FromFloats(w.Key, w.Value.Shape, w.Value.Values)));
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(NormPlacement.Pre, 11)]
    [InlineData(NormPlacement.Pre, 17)]
    [InlineData(NormPlacement.Post, 17)]
    public void LayersComputeTheirDefinition(NormPlacement placement, int opset)
    {
        var bert = ArchitectureRegistry.Get("bert", "test");
        var facts = bert with
        {
            Embeddings = bert.Embeddings with { Norm = placement == NormPlacement.Pre ? null : "embeddings.LayerNorm" },
            Layers = bert.Layers with { Placement = placement, FinalNorm = placement == NormPlacement.Pre ? "encoder.LayerNorm" : null },
        };
        using var checkpoint = Checkpoint.Open(_dir.FullPath);
        var graph = EncoderGraph.Build(checkpoint, facts, "feature-extraction", opset, DataType.Float, "test", "Encoder");

        long[] ids = [2, 5, 7, 1, 9, 3, 4, 8, 0, 0], mask = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0], types = [0, 0, 1, 1, 1, 0, 0, 1, 0, 0];
        var inputs = new Dictionary<string, HostTensor>
        {
            ["input_ids"] = HostTensor.Int64([2, 5], ids),
            ["attention_mask"] = HostTensor.Int64([2, 5], mask),
            ["token_type_ids"] = HostTensor.Int64([2, 5], types),
        };
        var actual = (float[])OrtRunner.Run(graph.ToModel(inlineWeights: true, "test"), inputs)["last_hidden_state"].Data;
        var expected = Reference(placement, ids, mask, types, batch: 2, sequence: 5);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-4, $"{placement} element {i}: expected {expected[i]}, got {actual[i]}");
    }

    private double[] Reference(NormPlacement placement, long[] ids, long[] mask, long[] types, int batch, int sequence)
    {
        bool pre = placement == NormPlacement.Pre;
        var result = new double[batch * sequence * Hidden];
        for (int b = 0; b < batch; b++)
        {
            var x = new double[sequence][];
            for (int s = 0; s < sequence; s++)
            {
                int t = b * sequence + s;
                x[s] = Enumerable.Range(0, Hidden).Select(h => (double)W("embeddings.word_embeddings.weight")[ids[t] * Hidden + h]
                    + W("embeddings.position_embeddings.weight")[s * Hidden + h] + W("embeddings.token_type_embeddings.weight")[types[t] * Hidden + h]).ToArray();
                if (!pre) x[s] = Norm(x[s], "embeddings.LayerNorm");
            }
            for (int l = 0; l < Layers; l++)
            {
                string p = $"encoder.layer.{l}.";
                var h = x.Select(v => pre ? Norm(v, p + "attention.output.LayerNorm") : v).ToArray();
                var attention = Attention(h, p, b, sequence, mask);
                x = x.Select((v, s) => v.Zip(attention[s], (a, c) => a + c).ToArray()).ToArray();
                if (!pre) x = x.Select(v => Norm(v, p + "attention.output.LayerNorm")).ToArray();
                var f = x.Select(v => pre ? Norm(v, p + "output.LayerNorm") : v).ToArray();
                var ffn = f.Select(v => Linear(Linear(v, p + "intermediate.dense").Select(Gelu).ToArray(), p + "output.dense")).ToArray();
                x = x.Select((v, s) => v.Zip(ffn[s], (a, c) => a + c).ToArray()).ToArray();
                if (!pre) x = x.Select(v => Norm(v, p + "output.LayerNorm")).ToArray();
            }
            if (pre) x = x.Select(v => Norm(v, "encoder.LayerNorm")).ToArray();
            for (int s = 0; s < sequence; s++) x[s].CopyTo(result, (b * sequence + s) * Hidden);
        }
        return result;
    }

    private double[][] Attention(double[][] h, string p, int b, int sequence, long[] mask)
    {
        var q = h.Select(v => Linear(v, p + "attention.self.query")).ToArray();
        var k = h.Select(v => Linear(v, p + "attention.self.key")).ToArray();
        var v = h.Select(r => Linear(r, p + "attention.self.value")).ToArray();
        int d = Hidden / Heads;
        var context = Enumerable.Range(0, sequence).Select(_ => new double[Hidden]).ToArray();
        for (int head = 0; head < Heads; head++)
            for (int i = 0; i < sequence; i++)
            {
                var scores = Enumerable.Range(0, sequence).Select(j =>
                    Enumerable.Range(head * d, d).Sum(c => q[i][c] * k[j][c]) / Math.Sqrt(d) + (mask[b * sequence + j] == 1 ? 0 : float.MinValue)).ToArray();
                double max = scores.Max();
                var e = scores.Select(s => Math.Exp(s - max)).ToArray();
                double sum = e.Sum();
                for (int c = head * d; c < (head + 1) * d; c++)
                    context[i][c] = Enumerable.Range(0, sequence).Sum(j => e[j] / sum * v[j][c]);
            }
        return context.Select(c => Linear(c, p + "attention.output.dense")).ToArray();
    }

    private float[] W(string name) => _weights[name].Values;

    private double[] Linear(double[] x, string module)
    {
        var (shape, w) = _weights[module + ".weight"];
        var bias = W(module + ".bias");
        return Enumerable.Range(0, (int)shape[0]).Select(o => bias[o] + Enumerable.Range(0, (int)shape[1]).Sum(i => w[o * shape[1] + i] * x[i])).ToArray();
    }

    private double[] Norm(double[] x, string module)
    {
        double mean = x.Average(), variance = x.Average(v => (v - mean) * (v - mean));
        return x.Select((v, i) => (v - mean) / Math.Sqrt(variance + 1e-5) * W(module + ".weight")[i] + W(module + ".bias")[i]).ToArray();
    }

    private static double Gelu(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));

    private static double Erf(double x)
    {
        double t = Math.Abs(x), sum = 0, term = t;
        for (int n = 0; n < 80; n++) { sum += term / (2 * n + 1); term *= -t * t / (n + 1); }
        double r = 2 / Math.Sqrt(Math.PI) * sum;
        return x < 0 ? -r : r;
    }
}
