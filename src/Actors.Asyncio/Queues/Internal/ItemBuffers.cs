using System.Runtime.CompilerServices;

namespace Actors.Asyncio.Internal;

/// <summary>The storage strategy of a queue (asyncio's <c>_init/_put/_get</c> hooks): FIFO, LIFO or priority. Only the
/// queue's home loop thread touches it.</summary>
internal abstract class ItemBuffer<T>
{
    public abstract int Count { get; }

    /// <summary>Adds a newly put item.</summary>
    public abstract void Add(T item);

    /// <summary>Removes and returns the next item; the caller checked <see cref="Count"/>.</summary>
    public abstract T Take();

    /// <summary>Puts back an item a cancelled getter refused, so that it is the next one taken (its place was first).</summary>
    public abstract void ReturnToHead(T item);

    /// <summary>Drops every item (shutdown(immediate=True)).</summary>
    public abstract void Clear();

    /// <summary>The items in the order they would be taken, for ToString.</summary>
    public abstract IEnumerable<T> Peek(int max);
}

/// <summary>asyncio.Queue's deque: a growable ring buffer, so a put or get allocates nothing once it has grown.</summary>
internal sealed class FifoBuffer<T>(int capacityHint) : ItemBuffer<T>
{
    private T[] _items = new T[InitialCapacity(capacityHint)];
    private int _head;
    private int _count;

    internal static int InitialCapacity(int hint) => hint is > 0 and <= 1024 ? (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)hint) : 16;

    public override int Count => _count;

    public override void Add(T item)
    {
        if (_count == _items.Length) Grow();
        _items[(_head + _count) & (_items.Length - 1)] = item;
        _count++;
    }

    public override T Take()
    {
        var items = _items;
        var item = items[_head];
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>()) items[_head] = default!;
        _head = (_head + 1) & (items.Length - 1);
        _count--;
        return item;
    }

    public override void ReturnToHead(T item)
    {
        if (_count == _items.Length) Grow();
        _head = (_head - 1) & (_items.Length - 1);
        _items[_head] = item;
        _count++;
    }

    public override void Clear()
    {
        Array.Clear(_items);
        _head = 0;
        _count = 0;
    }

    public override IEnumerable<T> Peek(int max)
    {
        for (int i = 0; i < Math.Min(max, _count); i++) yield return _items[(_head + i) & (_items.Length - 1)];
    }

    private void Grow()
    {
        var bigger = new T[_items.Length * 2];
        for (int i = 0; i < _count; i++) bigger[i] = _items[(_head + i) & (_items.Length - 1)];
        _items = bigger;
        _head = 0;
    }
}

/// <summary>asyncio.LifoQueue's list: a stack; the most recent item is taken first.</summary>
internal sealed class LifoBuffer<T>(int capacityHint) : ItemBuffer<T>
{
    private T[] _items = new T[FifoBuffer<T>.InitialCapacity(capacityHint)];
    private int _count;

    public override int Count => _count;

    public override void Add(T item)
    {
        if (_count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[_count++] = item;
    }

    public override T Take()
    {
        var item = _items[--_count];
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>()) _items[_count] = default!;
        return item;
    }

    // The top of the stack is what is taken next.
    public override void ReturnToHead(T item) => Add(item);

    public override void Clear()
    {
        Array.Clear(_items);
        _count = 0;
    }

    public override IEnumerable<T> Peek(int max)
    {
        for (int i = 0; i < Math.Min(max, _count); i++) yield return _items[_count - 1 - i];
    }
}

/// <summary>asyncio.PriorityQueue's heapq: a binary min-heap. Equal items come out in put order (a sequence number
/// breaks ties), which heapq alone does not promise.</summary>
internal sealed class PriorityBuffer<T>(int capacityHint, IComparer<T> comparer) : ItemBuffer<T>
{
    private (T Item, long Seq)[] _heap = new (T, long)[FifoBuffer<T>.InitialCapacity(capacityHint)];
    private int _count;
    private long _nextSeq;
    private long _returnSeq;

    public override int Count => _count;

    public override void Add(T item) => Push(item, _nextSeq++);

    // A refused item was taken first among its equals: a sequence below every other keeps it first.
    public override void ReturnToHead(T item) => Push(item, --_returnSeq);

    public override T Take()
    {
        var heap = _heap;
        var top = heap[0].Item;
        _count--;
        if (_count > 0)
        {
            var last = heap[_count];
            heap[_count] = default;
            SiftDown(last);
        }
        else heap[0] = default;
        return top;
    }

    public override void Clear()
    {
        Array.Clear(_heap);
        _count = 0;
    }

    public override IEnumerable<T> Peek(int max) =>
        _heap.Take(_count).OrderBy(e => e, Comparer<(T Item, long Seq)>.Create(Compare)).Take(max).Select(e => e.Item);

    private int Compare((T Item, long Seq) a, (T Item, long Seq) b)
    {
        int c = comparer.Compare(a.Item, b.Item);
        return c != 0 ? c : a.Seq.CompareTo(b.Seq);
    }

    private void Push(T item, long seq)
    {
        if (_count == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
        var entry = (item, seq);
        int i = _count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (Compare(entry, _heap[parent]) >= 0) break;
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = entry;
    }

    private void SiftDown((T Item, long Seq) entry)
    {
        var heap = _heap;
        int i = 0, n = _count;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n) break;
            if (child + 1 < n && Compare(heap[child + 1], heap[child]) < 0) child++;
            if (Compare(heap[child], entry) >= 0) break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = entry;
    }
}
