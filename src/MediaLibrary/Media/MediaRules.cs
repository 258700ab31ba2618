namespace MediaLibrary.Media;

public static class MediaRules
{
    public const int MaxTitleLength = 500;
    public const int MaxAltTextLength = 2000;
    public const int MaxIdempotencyKeyLength = 200;
}
