using Microsoft.Extensions.Options;

namespace MediaLibrary.Imaging;

public static class ImagingSetup
{
    /// <param name="services">The service collection.</param>
    /// <param name="config">The configuration the options bind to.</param>
    /// <param name="accepts">Whether uploads of a content type are accepted at all: only those types' loaders are unblocked.</param>
    public static IServiceCollection AddImaging(this IServiceCollection services, IConfiguration config, Func<IServiceProvider, Func<string, bool>> accepts)
    {
        services.AddOptions<ImagingOptions>().Bind(config).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new ImageProcessor(sp.GetRequiredService<IOptions<ImagingOptions>>(), accepts(sp), sp.GetRequiredService<ILogger<ImageProcessor>>()));
        services.AddSingleton(ImageEndpoints.CreateSigner);
        return services;
    }
}
