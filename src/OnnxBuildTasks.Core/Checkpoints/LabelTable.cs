using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace OnnxBuildTasks.Checkpoints;

/// <summary>
/// config.json's id2label: integer ids to labels, read-only once built, enumerated by ascending id. Two sorted arrays
/// rather than a SortedDictionary, whose code over KeyValuePair&lt;int, string&gt; the runtime would compile at first
/// use in every process that reads a config with labels (every export of a fine-tuned model).
/// </summary>
internal sealed class LabelTable : IReadOnlyDictionary<int, string>
{
    private readonly int[] _ids; // ascending, unique, the first _count used
    private readonly string[] _labels;
    private int _count;

    /// <param name="capacity">The number of entries the config gives (an upper bound: a repeated id takes one).</param>
    internal LabelTable(int capacity)
    {
        _ids = new int[capacity];
        _labels = new string[capacity];
    }

    /// <summary>The table without labels.</summary>
    public static LabelTable Empty { get; } = new(0);

    /// <summary>Sets the label of <paramref name="id"/> while the config is read, in document order: a repeated id keeps its last label.</summary>
    internal void Set(int id, string label)
    {
        int at = Find(id);
        if (at >= 0)
        {
            _labels[at] = label;
            return;
        }
        at = ~at;
        Array.Copy(_ids, at, _ids, at + 1, _count - at);
        Array.Copy(_labels, at, _labels, at + 1, _count - at);
        _ids[at] = id;
        _labels[at] = label;
        _count++;
    }

    public int Count => _count;

    public string this[int key] => Find(key) is >= 0 and var at ? _labels[at] : throw new KeyNotFoundException($"id2label has no label for id {key}.");

    public IEnumerable<int> Keys
    {
        get
        {
            for (int i = 0; i < _count; i++) yield return _ids[i];
        }
    }

    public IEnumerable<string> Values
    {
        get
        {
            for (int i = 0; i < _count; i++) yield return _labels[i];
        }
    }

    public bool ContainsKey(int key) => Find(key) >= 0;

    public bool TryGetValue(int key, [MaybeNullWhen(false)] out string value)
    {
        int at = Find(key);
        value = at >= 0 ? _labels[at] : null;
        return at >= 0;
    }

    public IEnumerator<KeyValuePair<int, string>> GetEnumerator()
    {
        for (int i = 0; i < _count; i++) yield return new KeyValuePair<int, string>(_ids[i], _labels[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // The index of id, or the bitwise complement of where it would go.
    private int Find(int id)
    {
        int lo = 0, hi = _count - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            if (_ids[mid] == id) return mid;
            if (_ids[mid] < id) lo = mid + 1;
            else hi = mid - 1;
        }
        return ~lo;
    }
}
