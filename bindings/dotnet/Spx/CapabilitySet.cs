using System.Collections;

namespace Spx;

/// <summary>
/// A set of capabilities for one of the child's sets. Left untouched, the child gets the default for that
/// set; once anything is done to it (even <see cref="Clear"/>) the child gets exactly its members.
/// </summary>
public sealed class CapabilitySet : ICollection<Capability>, IReadOnlyCollection<Capability>
{
    readonly SortedSet<Capability> items = [];

    /// <summary>An empty set that is already specified: a child given it gets no capability in that set.</summary>
    public CapabilitySet() => IsSpecified = true;

    /// <summary>A set of these capabilities.</summary>
    public CapabilitySet(IEnumerable<Capability> capabilities) : this()
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        foreach (var c in capabilities) Add(c);
    }

    internal CapabilitySet(bool specified) => IsSpecified = specified;

    /// <summary>Whether the set replaces the default (true once it was changed, or when created by the caller).</summary>
    public bool IsSpecified { get; private set; }

    /// <inheritdoc/>
    public int Count => items.Count;

    /// <inheritdoc/>
    public bool IsReadOnly => false;

    /// <summary>Adds a capability.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a capability number (0..63).</exception>
    public void Add(Capability item)
    {
        if ((int)item is < 0 or > 63) throw new ArgumentOutOfRangeException(nameof(item), item, "A capability number is 0..63.");
        IsSpecified = true;
        items.Add(item);
    }

    /// <summary>Empties the set and marks it specified: the child gets none of this set.</summary>
    public void Clear()
    {
        IsSpecified = true;
        items.Clear();
    }

    /// <summary>Forgets the set: the child gets the default again.</summary>
    public void Reset()
    {
        IsSpecified = false;
        items.Clear();
    }

    /// <inheritdoc/>
    public bool Contains(Capability item) => items.Contains(item);

    /// <inheritdoc/>
    public void CopyTo(Capability[] array, int arrayIndex) => items.CopyTo(array, arrayIndex);

    /// <inheritdoc/>
    public bool Remove(Capability item)
    {
        IsSpecified = true;
        return items.Remove(item);
    }

    /// <inheritdoc/>
    public IEnumerator<Capability> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal int[] ToArray() => items.Select(c => (int)c).ToArray();
}
