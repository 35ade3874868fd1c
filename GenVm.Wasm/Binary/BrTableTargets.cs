namespace GenVm.Wasm.Binary;

/// <summary>
/// The label list of a <c>br_table</c>, read lazily from the code bytes (already checked by
/// <see cref="InstructionReader"/>), so iterating allocates nothing. Use with <c>foreach</c>.
/// </summary>
internal readonly ref struct BrTableTargets
{
    private readonly ReadOnlySpan<byte> bytes;

    /// <summary>Creates the view; <paramref name="bytes"/> starts at the first label.</summary>
    public BrTableTargets(ReadOnlySpan<byte> bytes, int count)
    {
        this.bytes = bytes;
        Count = count;
    }

    /// <summary>Number of labels (the default label excluded).</summary>
    public int Count { get; }

    /// <summary>Returns the enumerator.</summary>
    public Enumerator GetEnumerator() => new(bytes, Count);

    /// <summary>Enumerates the labels.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> bytes;
        private int remaining;
        private int position;

        /// <summary>Creates the enumerator.</summary>
        public Enumerator(ReadOnlySpan<byte> bytes, int count)
        {
            this.bytes = bytes;
            remaining = count;
            position = 0;
            Current = 0;
        }

        /// <summary>The current label.</summary>
        public uint Current { get; private set; }

        /// <summary>Advances to the next label.</summary>
        public bool MoveNext()
        {
            if (remaining == 0)
            {
                return false;
            }

            remaining--;
            uint result = 0;
            var shift = 0;
            while (true)
            {
                var b = bytes[position++];
                result |= (uint)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    break;
                }

                shift += 7;
            }

            Current = result;
            return true;
        }
    }
}
