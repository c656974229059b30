using System.Runtime.InteropServices;
using System.Text;

namespace Spx.Interop;

/// <summary>A NULL-terminated <c>char *[]</c> of UTF-8 strings in one native block.</summary>
internal unsafe struct Utf8StringArray : IDisposable
{
    byte** block;

    /// <summary>The array, for a <c>const char *const *</c> parameter.</summary>
    internal readonly byte** Pointer => block;

    /// <summary>Copies <paramref name="strings"/>; each must be free of NUL characters.</summary>
    internal Utf8StringArray(IReadOnlyList<string> strings, string paramName)
    {
        nuint pointers = (nuint)(strings.Count + 1) * (nuint)sizeof(byte*);
        nuint total = pointers;
        foreach (var s in strings)
        {
            if (s is null) throw new ArgumentNullException(paramName, "An element is null.");
            if (s.Contains('\0', StringComparison.Ordinal)) throw new ArgumentException($"An element contains a NUL character: \"{s.Replace("\0", "\\0", StringComparison.Ordinal)}\".", paramName);
            total += (nuint)Encoding.UTF8.GetByteCount(s) + 1;
        }
        block = (byte**)NativeMemory.Alloc(total);
        byte* text = (byte*)block + pointers;
        byte* end = (byte*)block + total;
        for (int i = 0; i < strings.Count; i++)
        {
            block[i] = text;
            int n = Encoding.UTF8.GetBytes(strings[i], new Span<byte>(text, (int)(end - text)));
            text[n] = 0;
            text += n + 1;
        }
        block[strings.Count] = null;
    }

    /// <summary>Copies an environment as "KEY=VALUE" strings (entries with a null value are left out).</summary>
    internal Utf8StringArray(IDictionary<string, string?> environment)
    {
        int count = 0;
        nuint total = 0;
        foreach (var (k, v) in environment)
        {
            if (v is null) continue;
            count++;
            total += (nuint)(Encoding.UTF8.GetByteCount(k) + Encoding.UTF8.GetByteCount(v) + 2);
        }
        nuint pointers = (nuint)(count + 1) * (nuint)sizeof(byte*);
        total += pointers;
        block = (byte**)NativeMemory.Alloc(total);
        byte* text = (byte*)block + pointers;
        byte* end = (byte*)block + total;
        int i = 0;
        foreach (var (k, v) in environment)
        {
            if (v is null) continue;
            block[i++] = text;
            text += Encoding.UTF8.GetBytes(k, new Span<byte>(text, (int)(end - text)));
            *text++ = (byte)'=';
            text += Encoding.UTF8.GetBytes(v, new Span<byte>(text, (int)(end - text)));
            *text++ = 0;
        }
        block[count] = null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        NativeMemory.Free(block);
        block = null;
    }
}
