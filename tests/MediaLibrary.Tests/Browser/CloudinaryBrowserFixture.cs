using MediaLibrary.Tests.Infrastructure;

namespace MediaLibrary.Tests.Browser;

/// <summary>The service on Cloudinary (the local stub, which takes uploads from any page as Cloudinary does).</summary>
public sealed class CloudinaryBrowserFixture : BrowserFixture
{
    public CloudinaryStub Stub { get; private set; } = null!;

    protected override async Task<Dictionary<string, string?>> MoreSettingsAsync()
    {
        Stub = await CloudinaryStub.StartAsync();
        return Stub.Settings();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Stub is not null) await Stub.DisposeAsync();
    }
}
