namespace MediaLibrary.Imaging;

/// <summary>The format of the listed variants (MEDIALIB_IMAGE_FORMAT); auto picks from the browser's Accept header.</summary>
public enum VariantFormat { Auto, Webp, Avif, Jpeg, Png }
