namespace MediaLibrary.Imaging;

public enum ImageFit { Inside, Cover, Contain }
