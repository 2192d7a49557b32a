namespace MLNetFlows.Transforms.Image.Decoding;

/// <summary>
/// Reads the bits of one scan's entropy-coded data (ITU T.81 F.2.2.5): most significant bit first, a stuffed
/// <c>FF 00</c> is one <c>FF</c> byte, and a marker ends the data. Bits are buffered 64 at a time; peeking past the
/// data gives zeros (as libjpeg), but consuming a bit past a marker or the end is the error libjpeg reports as
/// "Corrupt JPEG data: premature end of data segment".
/// </summary>
internal sealed class JpegBitReader
{
    private const int BufferBits = 64;
    private readonly byte[] _data;
    private readonly int _end;
    private int _position;
    private ulong _buffer; // valid bits at the top
    private int _count;

    /// <summary>Reads <paramref name="data"/>[<paramref name="start"/>, <paramref name="end"/>), where <paramref name="end"/> is the marker after the scan.</summary>
    public JpegBitReader(byte[] data, int start, int end)
    {
        _data = data;
        _position = start;
        _end = end;
    }

    /// <summary>The next <paramref name="bits"/> bits (1 to 16) without consuming them; zeros past the data.</summary>
    public int Peek(int bits)
    {
        if (_count < bits)
        {
            Fill();
        }

        return (int)(_buffer >> (BufferBits - bits));
    }

    /// <summary>Consumes <paramref name="bits"/> bits.</summary>
    /// <exception cref="InvalidImageException">The data holds fewer bits before its marker.</exception>
    public void Skip(int bits)
    {
        if (_count < bits)
        {
            Fill();
            if (_count < bits)
            {
                throw new InvalidImageException("Corrupt JPEG data: premature end of data segment");
            }
        }

        _buffer <<= bits;
        _count -= bits;
    }

    /// <summary>Reads <paramref name="bits"/> bits (0 to 16) as an unsigned number (the RECEIVE procedure).</summary>
    public int Receive(int bits)
    {
        if (bits == 0)
        {
            return 0;
        }

        int value = Peek(bits);
        Skip(bits);
        return value;
    }

    /// <summary>Drops the buffered bits and reads the restart marker RST<paramref name="index"/>.</summary>
    /// <exception cref="InvalidImageException">Another marker or data is there instead.</exception>
    public void Restart(int index)
    {
        _buffer = 0;
        _count = 0;
        int marker = 0xD0 + index;
        if (_position + 1 >= _data.Length || _data[_position] != 0xFF || _data[_position + 1] != marker)
        {
            string found = _position < _end && _data[_position] != 0xFF ? "entropy-coded data" : $"marker 0x{(_position + 1 < _data.Length ? _data[_position + 1] : 0):X2}";
            throw new InvalidImageException($"Corrupt JPEG data: found {found} instead of RST{index}");
        }

        _position += 2;
    }

    /// <summary>Checks that no whole byte is left after the last MCU (the rest of the current byte is padding).</summary>
    /// <exception cref="InvalidImageException">Bytes are left before the marker that ends the scan.</exception>
    public void CheckEnd()
    {
        int extraneous = (_count / 8) + (_end - _position);
        if (extraneous > 0)
        {
            int marker = _end;
            while (marker < _data.Length - 1 && _data[marker] == 0xFF)
            {
                marker++;
            }

            throw new InvalidImageException($"Corrupt JPEG data: {extraneous} extraneous bytes before marker 0x{_data[marker]:X2}");
        }
    }

    /// <summary>Loads whole bytes until the buffer is full or a marker or the end is reached.</summary>
    private void Fill()
    {
        while (_count <= BufferBits - 8 && _position < _end)
        {
            byte b = _data[_position];
            if (b == 0xFF)
            {
                if (_data[_position + 1] != 0x00)
                {
                    return; // a marker (restart) ends the data here
                }

                _position++;
            }

            _position++;
            _buffer |= (ulong)b << (BufferBits - 8 - _count);
            _count += 8;
        }
    }
}
