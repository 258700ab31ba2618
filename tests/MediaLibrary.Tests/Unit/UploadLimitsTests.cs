using MediaLibrary.Media;

namespace MediaLibrary.Tests.Unit;

public sealed class UploadLimitsTests
{
    [Theory]
    [InlineData(1000, "1000 bytes")]
    [InlineData(1536, "1536 bytes")]
    [InlineData(2048, "2 KiB (2048 bytes)")]
    [InlineData(1L << 30, "1 GiB (1073741824 bytes)")]
    public void TheUploadLimit_IsSaidOnce_WithItsRoundFormWhereThereIsOne(long bytes, string said)
    {
        Assert.Equal(said, UploadLimits.Describe(bytes));
        Assert.Equal($"The upload limit is {said}, set by MEDIALIB_MAX_UPLOAD_BYTES.", UploadLimits.TooLarge(bytes).Message);
    }
}
