namespace MediaLibrary.Storage;

public static class StreamReading
{
    /// <summary>Reads until <paramref name="size"/> bytes are in the buffer or the stream ends; returns how many.</summary>
    public static async Task<int> FillAsync(this Stream content, byte[] buffer, int size, CancellationToken ct)
    {
        var filled = 0;
        int read;
        while (filled < size && (read = await content.ReadAsync(buffer.AsMemory(filled, size - filled), ct)) > 0) filled += read;
        return filled;
    }
}
